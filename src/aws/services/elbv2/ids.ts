/**
 * ELBv2 identifiers in AWS's formats:
 * - load balancer `arn:aws:elasticloadbalancing:<r>:<a>:loadbalancer/app|net/<name>/<16hex>`;
 * - target group `…:targetgroup/<name>/<16hex>`;
 * - listener `…:listener/app|net/<lb name>/<lb id>/<16hex>`, rule `…:listener-rule/app|net/<lb name>/<lb id>/<listener id>/<16hex>`;
 * - DNS: ALB `<name>-<10 digits>.<r>.elb.amazonaws.com` (`internal-` prefix when internal),
 *   NLB `<name>-<16hex>.elb.<r>.amazonaws.com`;
 * - CanonicalHostedZoneId: the region's ELB hosted zone (a few real ones; others get a stable fake).
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { LoadBalancerType, Scheme } from './model.js';

export interface IdSource {
  hex(chars: number): string;
  digits(n: number): string;
}

export const randomIds: IdSource = {
  hex: (chars) => randomBytes(Math.ceil(chars / 2)).toString('hex').slice(0, chars),
  digits: (n) => Array.from({ length: n }, (_, i) => String(i === 0 ? randomInt(1, 10) : randomInt(0, 10))).join(''),
};

const prefix = (region: string, account: string): string => `arn:aws:elasticloadbalancing:${region}:${account}`;
const short = (type: LoadBalancerType): string => (type === 'application' ? 'app' : 'net');

export function loadBalancerArn(region: string, account: string, type: LoadBalancerType, name: string, id: string): string {
  return `${prefix(region, account)}:loadbalancer/${short(type)}/${name}/${id}`;
}

export function targetGroupArn(region: string, account: string, name: string, id: string): string {
  return `${prefix(region, account)}:targetgroup/${name}/${id}`;
}

/** The `app|net/<name>/<id>` tail of a load balancer ARN. */
function lbTail(lbArn: string): string {
  return lbArn.slice(lbArn.indexOf(':loadbalancer/') + ':loadbalancer/'.length);
}

export function listenerArn(lbArn: string, id: string): string {
  const head = lbArn.slice(0, lbArn.indexOf(':loadbalancer/'));
  return `${head}:listener/${lbTail(lbArn)}/${id}`;
}

export function ruleArn(listener: string, id: string): string {
  return `${listener.replace(':listener/', ':listener-rule/')}/${id}`;
}

export function dnsName(type: LoadBalancerType, scheme: Scheme, name: string, region: string, ids: IdSource): string {
  if (type === 'network') return `${name}-${ids.hex(16)}.elb.${region}.amazonaws.com`;
  return `${scheme === 'internal' ? 'internal-' : ''}${name}-${ids.digits(10)}.${region}.elb.amazonaws.com`;
}

/** ELB hosted zone ids (Route 53 alias targets) of a few regions; ALB and NLB differ. */
const ZONES: Record<string, [alb: string, nlb: string]> = {
  'us-east-1': ['Z35SXDOTRQ7X7K', 'Z26RNL4JYFTOTI'],
  'us-west-2': ['Z1H1FL5HABSF5', 'Z18D5FSROUN65G'],
  'eu-west-1': ['Z32O12XQLNTSW2', 'Z2IFOLAFXWLO4F'],
  'ap-northeast-2': ['ZWKZPGTI48KDX', 'ZIBE1TIR4HY56'],
};

export function hostedZoneId(type: LoadBalancerType, region: string): string {
  const known = ZONES[region];
  if (known) return type === 'application' ? known[0] : known[1];
  let h = 0;
  for (const c of `${type}/${region}`) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `Z${h.toString(36).toUpperCase().padStart(12, '0')}`;
}

/** Names: 1-32 alphanumerics or hyphens, not starting or ending with a hyphen, not `internal-`. */
export function validName(name: string): boolean {
  return /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/.test(name) && !name.startsWith('internal-');
}
