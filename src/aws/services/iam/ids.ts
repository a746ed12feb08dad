/**
 * Identifiers and secrets IAM and STS hand out, random as on AWS (crypto-strength, never derived
 * from names): access key ids `AKIA`/`ASIA` + 16 characters, unique ids `AIDA` (user), `AROA`
 * (role), `ANPA` (managed policy), `AIPA` (instance profile) + 17 characters — all upper-case
 * letters and digits — 40-character secret access keys over the base64 alphabet, and opaque
 * session tokens.
 */
import { createHash, randomBytes } from 'node:crypto';

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** `n` characters drawn uniformly from `alphabet` (rejection sampling, no modulo bias). */
export function randomChars(n: number, alphabet: string): string {
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < n) {
    for (const b of randomBytes(n * 2)) {
      if (b >= limit) continue;
      out += alphabet[b % alphabet.length];
      if (out.length === n) break;
    }
  }
  return out;
}

export type UniqueIdPrefix = 'AIDA' | 'AROA' | 'ANPA' | 'AIPA';

/** A unique id such as AIDAXXXXXXXXXXXXXXXXX (21 characters). */
export function uniqueId(prefix: UniqueIdPrefix): string {
  return prefix + randomChars(17, UPPER_ALNUM);
}

/** Long-term (AKIA) or temporary (ASIA) access key id, 20 characters. */
export function accessKeyId(kind: 'AKIA' | 'ASIA'): string {
  return kind + randomChars(16, UPPER_ALNUM);
}

/** A 40-character secret access key. */
export function secretAccessKey(): string {
  return randomChars(40, SECRET_ALPHABET);
}

/** An opaque session token (AWS's are long base64 blobs; only equality matters here). */
export function sessionToken(): string {
  return `IQoJb3JpZ2luX2VjE${randomBytes(240).toString('base64')}`;
}

/** A stable id for catalog entries (AWS managed policies): same name → same id on every run. */
export function stableId(prefix: UniqueIdPrefix, seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; out.length < 17; i++) out += UPPER_ALNUM[digest[i % digest.length] % UPPER_ALNUM.length];
  return prefix + out;
}
