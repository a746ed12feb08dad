/**
 * Username and group templates of aws-auth mappings and access entries, rendered as
 * aws-iam-authenticator's server.go renderTemplate: {{EC2PrivateDNSName}} (only when the session
 * name is an EC2 instance id, resolved through EC2), {{AccountID}}, {{SessionName}} (with `@`
 * replaced by `-`), {{SessionNameRaw}} and {{AccessKeyID}}. Any other text is left as is.
 */
import type { EksCallerIdentity } from './types.js';

export const EC2_PRIVATE_DNS_NAME = '{{EC2PrivateDNSName}}';
/** server.go instanceIDPattern. */
export const INSTANCE_ID_RE = /^i-(\w{8}|\w{17})$/;

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

export interface TemplateContext {
  identity: EksCallerIdentity;
  /**
   * The instance's private DNS name when {{EC2PrivateDNSName}} is used. Undefined means no EC2
   * lookup is configured: the placeholder is then left in place.
   */
  ec2PrivateDnsName?: string;
}

export function usesEc2PrivateDnsName(templates: readonly string[]): boolean {
  return templates.some((t) => t.includes(EC2_PRIVATE_DNS_NAME));
}

/** Throws TemplateError when {{EC2PrivateDNSName}} is used by a session that is not an instance. */
export function renderTemplate(template: string, ctx: TemplateContext): string {
  const id = ctx.identity;
  let out = template;
  if (out.includes(EC2_PRIVATE_DNS_NAME)) {
    if (!INSTANCE_ID_RE.test(id.sessionName)) throw new TemplateError('SessionName did not contain an instance id');
    if (ctx.ec2PrivateDnsName !== undefined) out = out.replaceAll(EC2_PRIVATE_DNS_NAME, ctx.ec2PrivateDnsName);
  }
  return out
    .replaceAll('{{AccountID}}', id.accountId)
    .replaceAll('{{SessionName}}', id.sessionName.replaceAll('@', '-'))
    .replaceAll('{{SessionNameRaw}}', id.sessionName)
    .replaceAll('{{AccessKeyID}}', id.accessKeyId);
}
