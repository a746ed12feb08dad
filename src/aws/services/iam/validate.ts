/**
 * Model constraints of IAM and STS parameters (patterns, lengths, ranges, enums from botocore's
 * service-2.json), checked server-side as AWS does: botocore validates only required members and
 * minimums on the client, so patterns and maximums arrive here. Violations answer the AWS
 * wording, all of a request's violations in one error:
 *   ValidationError "1 validation error detected: Value 'a b' at 'userName' failed to satisfy
 *   constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+"
 */
import { AwsError } from '../../core/types.js';

export interface Constraint {
  /** The model's pattern, written as AWS prints it in the message. */
  pattern?: string;
  min?: number;
  max?: number;
  /** Integer range. */
  minValue?: number;
  maxValue?: number;
  enum?: readonly string[];
}

/** Patterns of botocore's IAM / STS model. */
export const PATTERNS = {
  name: '[\\w+=,.@-]+',
  sessionName: '[\\w+=,.@-]*',
  path: '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)',
  pathPrefix: '\\u002F[\\u0021-\\u007F]*',
  policyPath: '((/[A-Za-z0-9\\.,\\+@=_-]+)*)/',
  policyDocument: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+',
  accessKeyId: '[\\w]+',
  tagKey: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+',
  tagValue: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*',
} as const;

/** The model pattern as a JS regular expression matching the whole value. */
function compile(pattern: string): RegExp {
  const js = pattern.replace(/\\u([0-9A-Fa-f]{4})/g, (_, h: string) => `\\u{${h}}`);
  return new RegExp(`^(?:${js})$`, 'u');
}

const compiled = new Map<string, RegExp>();
function regex(pattern: string): RegExp {
  let r = compiled.get(pattern);
  if (!r) { r = compile(pattern); compiled.set(pattern, r); }
  return r;
}

/** The AWS phrase for one violated constraint, or undefined when `value` satisfies `c`. */
export function violation(value: string | number, c: Constraint): string | undefined {
  if (typeof value === 'number') {
    if (c.minValue !== undefined && value < c.minValue) return `Member must have value greater than or equal to ${c.minValue}`;
    if (c.maxValue !== undefined && value > c.maxValue) return `Member must have value less than or equal to ${c.maxValue}`;
    return undefined;
  }
  const len = [...value].length;
  if (c.min !== undefined && len < c.min) return `Member must have length greater than or equal to ${c.min}`;
  if (c.max !== undefined && len > c.max) return `Member must have length less than or equal to ${c.max}`;
  if (c.enum && !c.enum.includes(value)) return `Member must satisfy enum value set: [${c.enum.join(', ')}]`;
  if (c.pattern !== undefined && !regex(c.pattern).test(value)) return `Member must satisfy regular expression pattern: ${c.pattern}`;
  return undefined;
}

/** Collects violations of one request and throws them as one ValidationError. */
export class Validator {
  private readonly errors: string[] = [];

  /** `field` is the lowerCamel member name AWS prints (userName, roleSessionName…). Undefined values pass. */
  check(field: string, value: string | number | undefined, c: Constraint): this {
    if (value === undefined) return this;
    const v = violation(value, c);
    if (v) this.errors.push(`Value '${value}' at '${field}' failed to satisfy constraint: ${v}`);
    return this;
  }

  throwIfAny(): void {
    if (this.errors.length === 0) return;
    const n = this.errors.length;
    throw new AwsError('ValidationError', `${n} validation error${n > 1 ? 's' : ''} detected: ${this.errors.join('; ')}`, 400);
  }
}

/** Shorthand: validate a batch of [field, value, constraint] triples. */
export function validate(...checks: Array<[string, string | number | undefined, Constraint]>): void {
  const v = new Validator();
  for (const [f, val, c] of checks) v.check(f, val, c);
  v.throwIfAny();
}

export const USER_NAME: Constraint = { pattern: PATTERNS.name, min: 1, max: 64 };
/** existingUserNameType (GetUser, DeleteUser, access keys): up to 128. */
export const EXISTING_USER_NAME: Constraint = { pattern: PATTERNS.name, min: 1, max: 128 };
export const ROLE_NAME: Constraint = { pattern: PATTERNS.name, min: 1, max: 64 };
export const POLICY_NAME: Constraint = { pattern: PATTERNS.name, min: 1, max: 128 };
export const INSTANCE_PROFILE_NAME: Constraint = { pattern: PATTERNS.name, min: 1, max: 128 };
export const PATH: Constraint = { pattern: PATTERNS.path, min: 1, max: 512 };
export const PATH_PREFIX: Constraint = { pattern: PATTERNS.pathPrefix, min: 1, max: 512 };
export const POLICY_PATH: Constraint = { pattern: PATTERNS.policyPath, min: 1, max: 512 };
export const POLICY_DOCUMENT: Constraint = { pattern: PATTERNS.policyDocument, min: 1, max: 131072 };
export const ARN: Constraint = { min: 20, max: 2048 };
export const ACCESS_KEY_ID: Constraint = { pattern: PATTERNS.accessKeyId, min: 16, max: 128 };
export const ACCESS_KEY_STATUS: Constraint = { enum: ['Active', 'Inactive', 'Expired'] };
export const MAX_ITEMS: Constraint = { minValue: 1, maxValue: 1000 };
export const DESCRIPTION: Constraint = { max: 1000 };
export const MAX_SESSION_DURATION: Constraint = { minValue: 3600, maxValue: 43200 };
export const TAG_KEY: Constraint = { pattern: PATTERNS.tagKey, min: 1, max: 128 };
export const TAG_VALUE: Constraint = { pattern: PATTERNS.tagValue, min: 0, max: 256 };
export const SESSION_NAME: Constraint = { pattern: PATTERNS.sessionName, min: 2, max: 64 };
