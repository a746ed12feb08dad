/**
 * The kube-system/aws-auth ConfigMap as aws-iam-authenticator's pkg/mapper/configmap reads it:
 *
 * - Top-level keys `mapRoles`, `mapUsers`, `mapAccounts` are case-sensitive (`maproles` is ignored).
 * - Each is a YAML string. mapRoles/mapUsers are lists of mappings whose keys match
 *   case-insensitively, as Go's encoding/json does after utilyaml.ToJSON (`rolearn`, `roleARN`,
 *   `RoLeArN`; the last one wins). Entries without `rolearn` (resp. `userarn`) are dropped; a
 *   section that does not parse is dropped whole, the other sections still apply. Scalars are read
 *   as strings (account `012345678901` keeps its leading zero, as yaml.v2 into []string does).
 * - Matching compares the caller's canonical ARN case-insensitively: mapRoles first (a role
 *   mapping keyed by any ARN matches it), then mapUsers; then, if the account is in mapAccounts,
 *   the username is the canonical ARN with no groups (server.go doMapping).
 *
 * `mapWithAwsAuth` is pure; templates are rendered by the caller (templates.ts).
 */
// The YAML parser is loaded on the first aws-auth parse, not at start-up (util/yaml.ts).
import { yaml } from '../../../util/yaml.js';
import type { AwsAuthConfigMap, AwsAuthSource } from './types.js';

export interface AwsAuthMapping {
  /** rolearn or userarn as written. */
  arn: string;
  username: string;
  groups: string[];
}

export interface ParsedAwsAuth {
  roles: AwsAuthMapping[];
  users: AwsAuthMapping[];
  accounts: string[];
  /** Problems found (for logs); the valid parts are still used. */
  errors: string[];
}

export interface AwsAuthMatch {
  source: 'mapRoles' | 'mapUsers' | 'mapAccounts';
  /** Unrendered templates. */
  username: string;
  groups: string[];
}

export const EMPTY_AWS_AUTH: ParsedAwsAuth = Object.freeze({ roles: [], users: [], accounts: [], errors: [] }) as ParsedAwsAuth;

/** configmap.go isSkippable: blank, ``, "" and '' mean "no entries". */
function isSkippable(s: string): boolean {
  const t = s.trim();
  return t === '' || t === '``' || t === '""' || t === "''";
}

function parseYaml(text: string): unknown {
  const docs = yaml().parseAllDocuments(text, { schema: 'failsafe', uniqueKeys: false });
  const doc = Array.isArray(docs) ? docs[0] : undefined;
  if (!doc) return null;
  if (doc.errors.length > 0) throw new Error(doc.errors[0].message.split('\n')[0]);
  return doc.toJS();
}

function mappingList(text: string, arnKey: 'rolearn' | 'userarn', errors: string[], section: string): AwsAuthMapping[] {
  if (isSkippable(text)) return [];
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    errors.push(`${section}: ${(e as Error).message}`);
    return [];
  }
  if (raw === null || raw === undefined) return [];
  if (!Array.isArray(raw)) {
    errors.push(`${section}: not a list`);
    return [];
  }
  const out: AwsAuthMapping[] = [];
  raw.forEach((item, i) => {
    const m = { arn: '', username: '', groups: [] as string[] };
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      for (const [k, v] of Object.entries(item as Record<string, unknown>)) {
        const key = k.toLowerCase();
        if (key === arnKey && typeof v === 'string') m.arn = v;
        else if (key === 'username' && typeof v === 'string') m.username = v;
        else if (key === 'groups') {
          if (Array.isArray(v)) m.groups = v.map((g) => (typeof g === 'string' ? g : ''));
          else if (v !== null && v !== undefined) errors.push(`${section}[${i}]: groups is not a list`);
        }
      }
    } else {
      errors.push(`${section}[${i}]: not a mapping`);
      return;
    }
    if (!m.arn) errors.push(`${section}[${i}]: value for ${arnKey} must be supplied`);
    else out.push(m);
  });
  return out;
}

function accountList(text: string, errors: string[]): string[] {
  if (isSkippable(text)) return [];
  try {
    const raw = parseYaml(text);
    if (raw === null || raw === undefined) return [];
    if (!Array.isArray(raw) || raw.some((a) => typeof a !== 'string')) throw new Error('not a list of account ids');
    return raw as string[];
  } catch (e) {
    errors.push(`mapAccounts: ${(e as Error).message}`);
    return [];
  }
}

/** ParseMap: the data of the aws-auth ConfigMap → mappings (invalid parts dropped, reported in `errors`). */
export function parseAwsAuth(data: Readonly<Record<string, string>> | undefined): ParsedAwsAuth {
  if (!data) return EMPTY_AWS_AUTH;
  const errors: string[] = [];
  const users = typeof data.mapUsers === 'string' ? mappingList(data.mapUsers, 'userarn', errors, 'mapUsers') : [];
  const roles = typeof data.mapRoles === 'string' ? mappingList(data.mapRoles, 'rolearn', errors, 'mapRoles') : [];
  const accounts = typeof data.mapAccounts === 'string' ? accountList(data.mapAccounts, errors) : [];
  // saveMap keys roles by lower-cased ARN and users by ARN as written: later duplicates replace earlier ones.
  const dedupe = (list: AwsAuthMapping[], key: (m: AwsAuthMapping) => string): AwsAuthMapping[] => [...new Map(list.map((m) => [key(m), m])).values()];
  return {
    roles: dedupe(roles, (m) => m.arn.toLowerCase()),
    users: dedupe(users, (m) => m.arn),
    accounts, errors,
  };
}

/** The mapping for a caller (canonical ARN, account), or undefined when aws-auth does not map it. */
export function mapWithAwsAuth(a: ParsedAwsAuth, canonicalArn: string, accountId: string): AwsAuthMatch | undefined {
  const want = canonicalArn.toLowerCase();
  const role = a.roles.find((m) => m.arn.toLowerCase() === want);
  if (role) return { source: 'mapRoles', username: role.username, groups: [...role.groups] };
  const user = a.users.find((m) => m.arn.toLowerCase() === want);
  if (user) return { source: 'mapUsers', username: user.username, groups: [...user.groups] };
  if (a.accounts.includes(accountId)) return { source: 'mapAccounts', username: canonicalArn, groups: [] };
  return undefined;
}

/**
 * Reads aws-auth through `source` on every call and re-parses only when it changed (same
 * resourceVersion, or the same data when no resourceVersion is given, reuses the last parse).
 */
export class AwsAuthCache {
  private last: { rv?: string; data?: Record<string, string>; parsed: ParsedAwsAuth } | undefined;

  constructor(private readonly source: AwsAuthSource) {}

  async get(): Promise<ParsedAwsAuth> {
    const cm: AwsAuthConfigMap | undefined = await this.source();
    if (!cm) {
      this.last = undefined;
      return EMPTY_AWS_AUTH;
    }
    const l = this.last;
    if (l && (cm.resourceVersion !== undefined ? l.rv === cm.resourceVersion : l.rv === undefined && sameData(l.data, cm.data))) return l.parsed;
    const parsed = parseAwsAuth(cm.data);
    this.last = { rv: cm.resourceVersion, data: cm.data ? { ...cm.data } : undefined, parsed };
    return parsed;
  }
}

function sameData(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  if (!a || !b) return a === b;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}
