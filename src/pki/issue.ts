/**
 * Certificate issuing: the cluster CA, API-server serving certificates and client certificates,
 * with the profiles kubeadm uses (k8s.io/kubernetes/cmd/kubeadm/app/util/pkiutil/pki_helpers.go,
 * k8s.io/client-go/util/cert/cert.go NewSelfSignedCACert):
 *   - CA: CA:true (critical), keyUsage digitalSignature|keyEncipherment|keyCertSign (critical), SKI.
 *   - leaf: CA:false (critical), keyUsage digitalSignature|keyEncipherment (critical), one EKU,
 *     AKI = the CA key's identifier.
 *   - NotBefore is backdated 5 minutes (kubeadm CertificateBackdate) to tolerate clock skew.
 * Keys are ECDSA P-256 (fast to generate; Go's crypto/tls and kubectl accept them); signatures
 * ECDSA-with-SHA256 (SHA256-with-RSA when the CA brought from elsewhere is RSA). Serial numbers
 * are 128 random bits, always positive (Go rejects negative ones). Keys and signatures come from
 * node:crypto; the certificate structure is written by der.ts.
 */
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { realClock } from '../util/clock.js';
import type { Clock } from '../util/clock.js';
import type { CertKeyPem, ClientCertOptions, ServingCertOptions } from './types.js';
import { bitString, bool, certificateSubject, explicit, nullValue, octets, oid, seq, set, smallInt, time, tlv, uint, utf8 } from './der.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** kubeadm's CertificateBackdate. */
const BACKDATE_MS = 5 * 60 * 1000;

const OID = {
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  ecdsaWithSHA384: '1.2.840.10045.4.3.3',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
};

/** Kept for callers that warmed the old X.509 library up; issuing needs no preloading now. */
export function preloadIssuer(): void {}

export interface CaOptions {
  /** Subject CN; default "kubernetes" (the CN of EKS's and kubeadm's cluster CA). */
  commonName?: string;
  /** Default 3650 (kubeadm's CA validity, 10 years). */
  validityDays?: number;
  clock?: Clock;
}

/** Creates a self-signed cluster CA. */
export async function createCa(opts: CaOptions = {}): Promise<CertKeyPem> {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const name = nameDer([['CN', opts.commonName ?? 'kubernetes']]);
  const ski = keyIdentifier(publicKey);
  const extensions = [
    extension(OID.basicConstraints, true, seq(bool(true))),
    extension(OID.keyUsage, true, keyUsage({ digitalSignature: true, keyEncipherment: true, keyCertSign: true })),
    extension(OID.subjectKeyIdentifier, false, octets(ski)),
  ];
  const certDer = buildCertificate({ issuer: name, subject: name, publicKey, signer: privateKey, validityDays: opts.validityDays ?? 3650, clock: opts.clock, extensions });
  return { certPem: pem('CERTIFICATE', certDer), keyPem: privateKeyPem(privateKey) };
}

/** Issues a TLS serving certificate (serverAuth) for `sans`, signed by `ca`. */
export async function issueServingCert(ca: CertKeyPem, opts: ServingCertOptions): Promise<CertKeyPem> {
  const sans = opts.sans.map(generalName);
  return issueLeaf(ca, {
    subject: [['CN', opts.commonName ?? 'kube-apiserver']],
    eku: OID.serverAuth,
    validityDays: opts.validityDays ?? 365,
    clock: opts.clock,
    extra: sans.length > 0 ? [extension(OID.subjectAltName, false, seq(...sans))] : [],
  });
}

/**
 * Issues a client certificate (clientAuth) signed by `ca`. Kubernetes authenticates it as user
 * `commonName` in groups `organizations` (e.g. CN kubernetes-admin, O system:masters).
 */
export async function issueClientCert(ca: CertKeyPem, opts: ClientCertOptions): Promise<CertKeyPem> {
  if (!opts.commonName) throw new Error('issueClientCert: commonName is required (it becomes the user name)');
  // One RDN per attribute, organizations first, as kubeadm's admin.conf certificate.
  const subject: Array<['O' | 'CN', string]> = (opts.organizations ?? []).map((o) => ['O', o] as ['O', string]);
  subject.push(['CN', opts.commonName]);
  return issueLeaf(ca, { subject, eku: OID.clientAuth, validityDays: opts.validityDays ?? 365, clock: opts.clock, extra: [] });
}

interface LeafProfile {
  subject: Array<['O' | 'CN', string]>;
  eku: string;
  validityDays: number;
  clock: Clock | undefined;
  extra: Buffer[];
}

async function issueLeaf(ca: CertKeyPem, p: LeafProfile): Promise<CertKeyPem> {
  const caCert = new X509Certificate(ca.certPem);
  const caKey = createPrivateKey(ca.keyPem);
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const extensions = [
    extension(OID.basicConstraints, true, seq()),
    extension(OID.keyUsage, true, keyUsage({ digitalSignature: true, keyEncipherment: true, keyCertSign: false })),
    extension(OID.extKeyUsage, false, seq(oid(p.eku))),
    extension(OID.authorityKeyIdentifier, false, seq(tlv(0x80, keyIdentifier(caCert.publicKey)))),
    ...p.extra,
  ];
  const certDer = buildCertificate({
    issuer: certificateSubject(caCert.raw), subject: nameDer(p.subject), publicKey, signer: caKey,
    validityDays: p.validityDays, clock: p.clock, extensions,
  });
  return { certPem: pem('CERTIFICATE', certDer), keyPem: privateKeyPem(privateKey) };
}

interface CertificateParts {
  issuer: Buffer;
  subject: Buffer;
  publicKey: KeyObject;
  signer: KeyObject;
  validityDays: number;
  clock: Clock | undefined;
  extensions: Buffer[];
}

/** TBSCertificate → signature → Certificate (RFC 5280 4.1). */
function buildCertificate(c: CertificateParts): Buffer {
  const { algorithm, hash } = signatureAlgorithm(c.signer);
  const now = Math.floor((c.clock ?? realClock).now() / 1000) * 1000;
  const tbs = seq(
    explicit(0, smallInt(2)), // v3
    uint(serialNumber()),
    algorithm,
    c.issuer,
    seq(time(new Date(now - BACKDATE_MS)), time(new Date(now + c.validityDays * DAY_MS))),
    c.subject,
    c.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, seq(...c.extensions)),
  );
  const signature = sign(hash, tbs, c.signer);
  return seq(tbs, algorithm, bitString(signature));
}

function signatureAlgorithm(key: KeyObject): { algorithm: Buffer; hash: string } {
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return { algorithm: seq(oid(OID.ecdsaWithSHA256)), hash: 'sha256' };
    if (curve === 'secp384r1') return { algorithm: seq(oid(OID.ecdsaWithSHA384)), hash: 'sha384' };
    throw new Error(`unsupported CA key curve ${curve ?? '(unknown)'}`);
  }
  if (key.asymmetricKeyType === 'rsa') return { algorithm: seq(oid(OID.sha256WithRSA), nullValue()), hash: 'sha256' };
  throw new Error(`unsupported CA key type ${key.asymmetricKeyType ?? '(unknown)'}`);
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value));
}

/** KeyUsage BIT STRING: digitalSignature(0), keyEncipherment(2), keyCertSign(5), trailing zero bits unused. */
function keyUsage(u: { digitalSignature: boolean; keyEncipherment: boolean; keyCertSign: boolean }): Buffer {
  const byte = (u.digitalSignature ? 0x80 : 0) | (u.keyEncipherment ? 0x20 : 0) | (u.keyCertSign ? 0x04 : 0);
  let unused = 0;
  while (unused < 7 && !(byte & (1 << unused))) unused++;
  return bitString(Buffer.from([byte]), unused);
}

/** Name as a sequence of single-attribute RDNs, in the order given. */
function nameDer(attrs: Array<['O' | 'CN', string]>): Buffer {
  return seq(...attrs.map(([k, v]) => set(seq(oid(k === 'CN' ? OID.commonName : OID.organization), utf8(v)))));
}

/** SAN entry: [7] iPAddress for IPv4/IPv6 literals, [2] dNSName otherwise. */
function generalName(s: string): Buffer {
  const ip = ipBytes(s);
  return ip ? tlv(0x87, ip) : tlv(0x82, Buffer.from(s, 'ascii'));
}

function ipBytes(s: string): Buffer | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) {
    const parts = s.split('.').map(Number);
    return parts.every((n) => n <= 255) ? Buffer.from(parts) : undefined;
  }
  if (!s.includes(':')) return undefined;
  const [head, tail = ''] = s.split('::');
  const hs = head ? head.split(':') : [];
  const ts = s.includes('::') ? (tail ? tail.split(':') : []) : [];
  const fill = s.includes('::') ? 8 - hs.length - ts.length : 0;
  const groups = [...hs, ...Array(Math.max(0, fill)).fill('0'), ...ts];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

/** RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. */
function keyIdentifier(key: KeyObject): Buffer {
  const spki = key.export({ type: 'spki', format: 'der' });
  // SubjectPublicKeyInfo ::= SEQUENCE { algorithm, subjectPublicKey BIT STRING }: hash the bits.
  const outer = spki[1]! & 0x80 ? 2 + (spki[1]! & 0x7f) : 2;
  const algLen = spki[outer + 1]! & 0x80 ? null : spki[outer + 1]!;
  if (algLen === null) throw new Error('unexpected SubjectPublicKeyInfo encoding');
  const bitStart = outer + 2 + algLen;
  const lenByte = spki[bitStart + 1]!;
  const hdr = lenByte & 0x80 ? 2 + (lenByte & 0x7f) : 2;
  return createHash('sha1').update(spki.subarray(bitStart + hdr + 1)).digest();
}

/** 128 random bits, top bit cleared (positive DER INTEGER) and never a leading zero byte. */
function serialNumber(): Buffer {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x40;
  return b;
}

function pem(label: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

function privateKeyPem(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString().replace(/\s*$/, '\n');
}


