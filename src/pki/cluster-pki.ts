/**
 * The per-cluster PKI on disk: `ca.crt`/`ca.key` (cluster CA, CN "kubernetes", 10 years),
 * `apiserver.crt`/`apiserver.key` (serving cert) and `admin.crt`/`admin.key` (CN kubernetes-admin,
 * O system:masters) in one directory — the file names kubeadm uses under /etc/kubernetes/pki.
 *
 * Contract:
 *   - First start creates everything; later starts load the files unchanged.
 *   - The CA is never regenerated once `ca.crt` exists (every kubeconfig handed out trusts it);
 *     a `ca.crt` whose key is missing or does not match is an error, not a reason to start over.
 *     (`ca.key` without `ca.crt` is a crash during first creation: no one can trust it yet, so it
 *     is replaced.)
 *   - The serving cert is reissued when it does not cover the requested SANs, expires within
 *     30 days, was not signed by the CA, or does not match its key; the admin cert likewise
 *     (minus the SAN check). kubeadm's `certs renew` renews the same set of leaves.
 *   - Writes are atomic per file, key before certificate, so the certificate is the commit
 *     marker: after a crash a pair is either complete or detected as broken and reissued.
 *
 * The warm path uses only node:crypto's X509Certificate (sub-millisecond parsing/verification);
 * Generation (issue.ts) uses node:crypto and a small DER writer (der.ts): ~15 ms for a whole PKI.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { realClock } from '../util/clock.js';
import type { Clock } from '../util/clock.js';
import { writeFileAtomic } from './atomic-file.js';
import type { CertKeyPem, ClusterPki } from './types.js';

/** SANs every cluster's serving cert carries (kubeadm's apiserver cert, loopback only). */
export const DEFAULT_SERVING_SANS: readonly string[] = [
  '127.0.0.1',
  '::1',
  'localhost',
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local',
];

export const ADMIN_COMMON_NAME = 'kubernetes-admin';
export const ADMIN_ORGANIZATION = 'system:masters';

/** Leaves expiring within this window are reissued on load. */
const RENEW_BEFORE_MS = 30 * 24 * 60 * 60 * 1000;

export const PKI_FILES = {
  caCert: 'ca.crt',
  caKey: 'ca.key',
  servingCert: 'apiserver.crt',
  servingKey: 'apiserver.key',
  adminCert: 'admin.crt',
  adminKey: 'admin.key',
} as const;

export interface ClusterPkiOptions {
  /** Directory holding the PKI files; created (mode 0700) if missing. */
  dir: string;
  /** Used in error messages. */
  clusterName: string;
  /** Extra serving-cert SANs (host names or IP literals), e.g. the cluster's endpoint host name. */
  extraSans?: string[];
  clock?: Clock;
}

/** Calls in flight per directory: concurrent calls for one cluster run one after another. */
const inflight = new Map<string, Promise<unknown>>();

/**
 * Loads the cluster's PKI from `dir`, creating or renewing what is missing or stale. Calls for
 * the same directory within this process are serialized, so two concurrent first starts cannot
 * create two different CAs.
 */
export function loadOrCreateClusterPki(opts: ClusterPkiOptions): Promise<ClusterPki> {
  const key = path.resolve(opts.dir);
  const prev = inflight.get(key) ?? Promise.resolve();
  const run = prev.then(() => loadOrCreate(opts), () => loadOrCreate(opts));
  const settled = run.then(() => undefined, () => undefined);
  inflight.set(key, settled);
  void settled.then(() => {
    if (inflight.get(key) === settled) inflight.delete(key);
  });
  return run;
}

async function loadOrCreate(opts: ClusterPkiOptions): Promise<ClusterPki> {
  const clock = opts.clock ?? realClock;
  const file = (name: string): string => path.join(opts.dir, name);
  mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  const issued: ClusterPki['issued'] = [];

  let ca = readPair(file(PKI_FILES.caCert), file(PKI_FILES.caKey));
  if (ca && !ca.keyPem) {
    throw new Error(`cluster ${opts.clusterName}: ${file(PKI_FILES.caCert)} exists but ${PKI_FILES.caKey} is missing; refusing to replace the cluster CA`);
  }
  let caCert: X509Certificate;
  if (ca) {
    caCert = parseCert(ca.certPem, file(PKI_FILES.caCert));
    if (!keyMatches(caCert, ca.keyPem)) {
      throw new Error(`cluster ${opts.clusterName}: ${PKI_FILES.caKey} does not match ${PKI_FILES.caCert}; refusing to replace the cluster CA`);
    }
  } else {
    const { createCa } = await import('./issue.js');
    ca = await createCa({ clock });
    writePair(file(PKI_FILES.caCert), file(PKI_FILES.caKey), ca);
    caCert = new X509Certificate(ca.certPem);
    issued.push('ca');
  }
  const caPair: CertKeyPem = { certPem: ca.certPem, keyPem: ca.keyPem };

  const sans = uniq([...DEFAULT_SERVING_SANS, ...(opts.extraSans ?? [])]);
  let serving = readPair(file(PKI_FILES.servingCert), file(PKI_FILES.servingKey));
  if (!leafUsable(serving, caCert, clock.now()) || !coversSans(serving!.certPem, sans)) {
    const { issueServingCert } = await import('./issue.js');
    serving = await issueServingCert(caPair, { sans, clock });
    writePair(file(PKI_FILES.servingCert), file(PKI_FILES.servingKey), serving);
    issued.push('serving');
  }

  let admin = readPair(file(PKI_FILES.adminCert), file(PKI_FILES.adminKey));
  if (!leafUsable(admin, caCert, clock.now())) {
    const { issueClientCert } = await import('./issue.js');
    admin = await issueClientCert(caPair, { commonName: ADMIN_COMMON_NAME, organizations: [ADMIN_ORGANIZATION], clock });
    writePair(file(PKI_FILES.adminCert), file(PKI_FILES.adminKey), admin);
    issued.push('admin');
  }

  return { ca: caPair, serving: serving!, admin: admin!, issued };
}

/**
 * True when every name in `sans` is in the certificate's subjectAltName: IP literals against IP
 * SANs, anything else against DNS SANs (exact match; the subject CN is ignored, as Go does).
 */
export function coversSans(certPem: string, sans: readonly string[]): boolean {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    return false;
  }
  return sans.every((s) =>
    looksLikeIp(s) ? cert.checkIP(s) !== undefined : cert.checkHost(s, { subject: 'never', wildcards: false }) !== undefined,
  );
}

/** Reads a cert/key pair; null when the certificate is absent; keyPem '' when only the key is absent. */
function readPair(certFile: string, keyFile: string): CertKeyPem | null {
  const certPem = readIfExists(certFile);
  if (certPem === null) return null;
  return { certPem, keyPem: readIfExists(keyFile) ?? '' };
}

function readIfExists(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Key first, certificate last: the certificate's presence marks a completed pair. */
function writePair(certFile: string, keyFile: string, pair: CertKeyPem): void {
  writeFileAtomic(keyFile, pair.keyPem, { mode: 0o600 });
  writeFileAtomic(certFile, pair.certPem, { mode: 0o644 });
}

function parseCert(pem: string, where: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (err) {
    throw new Error(`${where}: not a PEM certificate (${(err as Error).message})`);
  }
}

function keyMatches(cert: X509Certificate, keyPem: string): boolean {
  try {
    return cert.checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}

/** A leaf is kept when it parses, matches its key, was signed by the CA and is not about to expire. */
function leafUsable(pair: CertKeyPem | null, caCert: X509Certificate, nowMs: number): boolean {
  if (!pair || !pair.keyPem) return false;
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pair.certPem);
  } catch {
    return false;
  }
  if (!cert.checkIssued(caCert) || !cert.verify(caCert.publicKey)) return false;
  if (!keyMatches(cert, pair.keyPem)) return false;
  const notAfter = parseOpensslTime(cert.validTo);
  const notBefore = parseOpensslTime(cert.validFrom);
  return Number.isFinite(notAfter) && notAfter - nowMs > RENEW_BEFORE_MS && notBefore <= nowMs;
}

/**
 * An IP literal (IPv4 dotted quad, or anything with a colon, i.e. IPv6: DNS names cannot contain
 * one). node:net's isIP costs milliseconds on its first call, which the warm start avoids.
 */
function looksLikeIp(s: string): boolean {
  return s.includes(':') || /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(s);
}

const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';

/**
 * Parses X509Certificate.validTo/validFrom ("Nov 22 06:12:13 2027 GMT", OpenSSL's
 * ASN1_TIME_print format) without Date.parse's slow first call; falls back to Date.parse.
 */
function parseOpensslTime(s: string): number {
  const m = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4}) GMT$/.exec(s);
  const month = m ? MONTHS.indexOf(m[1]!) / 3 : -1;
  if (!m || month < 0 || !Number.isInteger(month)) return Date.parse(s);
  return Date.UTC(Number(m[6]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
}

function uniq(xs: string[]): string[] {
  return [...new Set(xs)];
}

/** True when `dir` already holds a CA (a cluster that has started before). */
export function clusterPkiExists(dir: string): boolean {
  return existsSync(path.join(dir, PKI_FILES.caCert));
}
