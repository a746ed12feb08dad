/**
 * Certificate issuing: the cluster CA, API-server serving certificates and client certificates,
 * with the profiles kubeadm uses (k8s.io/kubernetes/cmd/kubeadm/app/util/pkiutil/pki_helpers.go,
 * k8s.io/client-go/util/cert/cert.go NewSelfSignedCACert):
 *   - CA: CA:true (critical), keyUsage digitalSignature|keyEncipherment|keyCertSign (critical), SKI.
 *   - leaf: CA:false, keyUsage digitalSignature (+keyEncipherment, as kubeadm), one EKU, AKI = CA's SKI.
 *   - NotBefore is backdated 5 minutes (kubeadm CertificateBackdate) to tolerate clock skew.
 * Keys are ECDSA P-256 (fast to generate; Go's crypto/tls and kubectl accept them); signatures
 * ECDSA-with-SHA256. Serial numbers are 128 random bits, always positive (Go rejects negative ones).
 *
 * `@peculiar/x509` takes ~250 ms to import, so it is loaded lazily, on first issue only: a warm
 * start that finds a complete PKI on disk never loads it (see cluster-pki.ts).
 */
import { createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import { realClock } from '../util/clock.js';
import type { Clock } from '../util/clock.js';
import type { CertKeyPem, ClientCertOptions, ServingCertOptions } from './types.js';

type X509Lib = typeof import('@peculiar/x509');
type WebCryptoKey = webcrypto.CryptoKey;

const DAY_MS = 24 * 60 * 60 * 1000;
/** kubeadm's CertificateBackdate. */
const BACKDATE_MS = 5 * 60 * 1000;
const EC_KEY_ALG = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const subtle = webcrypto.subtle;

let libPromise: Promise<X509Lib> | undefined;

/** Loads @peculiar/x509 once and points it at Node's WebCrypto. */
function x509(): Promise<X509Lib> {
  libPromise ??= import('@peculiar/x509').then((lib) => {
    lib.cryptoProvider.set(webcrypto as unknown as Parameters<typeof lib.cryptoProvider.set>[0]);
    return lib;
  });
  return libPromise;
}

/**
 * Starts loading the X.509 library in the background (e.g. once the server is ready), so the
 * first cluster creation later does not pay the ~200 ms import. Errors surface on first issue.
 */
export function preloadIssuer(): void {
  x509().catch(() => undefined);
}

export interface CaOptions {
  /** Subject CN; default "kubernetes" (the CN of EKS's and kubeadm's cluster CA). */
  commonName?: string;
  /** Default 3650 (kubeadm's CA validity, 10 years). */
  validityDays?: number;
  clock?: Clock;
}

/** Creates a self-signed cluster CA. */
export async function createCa(opts: CaOptions = {}): Promise<CertKeyPem> {
  const lib = await x509();
  const keys = (await subtle.generateKey(EC_KEY_ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const { notBefore, notAfter } = validity(opts.clock, opts.validityDays ?? 3650);
  const cert = await lib.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: [{ CN: [opts.commonName ?? 'kubernetes'] }],
    notBefore,
    notAfter,
    keys: keys as unknown as CryptoKeyPairLike<X509Lib>,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParamsLike<X509Lib>,
    extensions: [
      new lib.BasicConstraintsExtension(true, undefined, true),
      new lib.KeyUsagesExtension(
        lib.KeyUsageFlags.digitalSignature | lib.KeyUsageFlags.keyEncipherment | lib.KeyUsageFlags.keyCertSign,
        true,
      ),
      await lib.SubjectKeyIdentifierExtension.create(keys.publicKey as unknown as PublicKeyLike<X509Lib>),
    ],
  });
  return { certPem: pemWithNewline(cert.toString('pem')), keyPem: await exportKeyPem(keys.privateKey) };
}

/** Issues a TLS serving certificate (serverAuth) for `sans`, signed by `ca`. */
export async function issueServingCert(ca: CertKeyPem, opts: ServingCertOptions): Promise<CertKeyPem> {
  const lib = await x509();
  const names = opts.sans.map((s) => (isIP(s) ? { type: 'ip' as const, value: s } : { type: 'dns' as const, value: s }));
  return issueLeaf(lib, ca, {
    subject: [{ CN: [opts.commonName ?? 'kube-apiserver'] }],
    eku: lib.ExtendedKeyUsage.serverAuth,
    validityDays: opts.validityDays ?? 365,
    clock: opts.clock,
    extra: names.length > 0 ? [new lib.SubjectAlternativeNameExtension(names)] : [],
  });
}

/**
 * Issues a client certificate (clientAuth) signed by `ca`. Kubernetes authenticates it as user
 * `commonName` in groups `organizations` (e.g. CN kubernetes-admin, O system:masters).
 */
export async function issueClientCert(ca: CertKeyPem, opts: ClientCertOptions): Promise<CertKeyPem> {
  if (!opts.commonName) throw new Error('issueClientCert: commonName is required (it becomes the user name)');
  const lib = await x509();
  // One RDN per attribute, organizations first, as kubeadm's admin.conf certificate.
  const subject: Array<Record<string, string[]>> = (opts.organizations ?? []).map((o) => ({ O: [o] }));
  subject.push({ CN: [opts.commonName] });
  return issueLeaf(lib, ca, {
    subject,
    eku: lib.ExtendedKeyUsage.clientAuth,
    validityDays: opts.validityDays ?? 365,
    clock: opts.clock,
    extra: [],
  });
}

interface LeafProfile {
  subject: Array<Record<string, string[]>>;
  eku: string;
  validityDays: number;
  clock: Clock | undefined;
  extra: InstanceType<X509Lib['Extension']>[];
}

async function issueLeaf(lib: X509Lib, ca: CertKeyPem, p: LeafProfile): Promise<CertKeyPem> {
  const caCert = new lib.X509Certificate(ca.certPem);
  const caKey = await importSigningKey(ca.keyPem);
  const keys = (await subtle.generateKey(EC_KEY_ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const { notBefore, notAfter } = validity(p.clock, p.validityDays);
  const cert = await lib.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: p.subject,
    issuer: caCert.subjectName,
    notBefore,
    notAfter,
    publicKey: keys.publicKey as unknown as PublicKeyLike<X509Lib>,
    signingKey: caKey.key as unknown as SigningKeyLike<X509Lib>,
    signingAlgorithm: caKey.algorithm as EcdsaParamsLike<X509Lib>,
    extensions: [
      new lib.BasicConstraintsExtension(false, undefined, true),
      new lib.KeyUsagesExtension(lib.KeyUsageFlags.digitalSignature | lib.KeyUsageFlags.keyEncipherment, true),
      new lib.ExtendedKeyUsageExtension([p.eku]),
      await lib.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
      ...p.extra,
    ],
  });
  return { certPem: pemWithNewline(cert.toString('pem')), keyPem: await exportKeyPem(keys.privateKey) };
}

/**
 * Imports a PEM private key (PKCS#8, SEC1 "EC PRIVATE KEY" or PKCS#1 RSA) as a WebCrypto signing
 * key, so a CA key brought from elsewhere (e.g. RSA from kubeadm) can sign too.
 */
async function importSigningKey(pem: string): Promise<{ key: WebCryptoKey; algorithm: { name: string; hash: string } }> {
  const ko = createPrivateKey(pem);
  const der = ko.export({ type: 'pkcs8', format: 'der' });
  if (ko.asymmetricKeyType === 'ec') {
    const curve = ko.asymmetricKeyDetails?.namedCurve;
    const namedCurve = curve === 'prime256v1' ? 'P-256' : curve === 'secp384r1' ? 'P-384' : undefined;
    if (!namedCurve) throw new Error(`unsupported CA key curve ${curve ?? '(unknown)'}`);
    const key = await subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve }, false, ['sign']);
    return { key, algorithm: { name: 'ECDSA', hash: namedCurve === 'P-384' ? 'SHA-384' : 'SHA-256' } };
  }
  if (ko.asymmetricKeyType === 'rsa') {
    const key = await subtle.importKey('pkcs8', der, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
    return { key, algorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } };
  }
  throw new Error(`unsupported CA key type ${ko.asymmetricKeyType ?? '(unknown)'}`);
}

async function exportKeyPem(key: WebCryptoKey): Promise<string> {
  const der = Buffer.from(await subtle.exportKey('pkcs8', key));
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN PRIVATE KEY-----\n${b64}\n-----END PRIVATE KEY-----\n`;
}

/** 128 random bits as hex, top bit cleared (positive DER INTEGER) and never a leading zero byte. */
function serialNumber(): string {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x40;
  return b.toString('hex');
}

/** X.509 times have second precision: round so the encoded dates equal what we computed. */
function validity(clock: Clock | undefined, days: number): { notBefore: Date; notAfter: Date } {
  const now = Math.floor((clock ?? realClock).now() / 1000) * 1000;
  return { notBefore: new Date(now - BACKDATE_MS), notAfter: new Date(now + days * DAY_MS) };
}

// The library's parameter types name DOM WebCrypto types (CryptoKey, EcdsaParams) that this
// project's lib settings (no "dom") do not declare; these aliases pull them from its signatures.
type SelfSignedParams<L extends X509Lib> = Parameters<L['X509CertificateGenerator']['createSelfSigned']>[0];
type CreateParams<L extends X509Lib> = Extract<Parameters<L['X509CertificateGenerator']['create']>[0], { signingKey: unknown }>;
type CryptoKeyPairLike<L extends X509Lib> = SelfSignedParams<L>['keys'];
type EcdsaParamsLike<L extends X509Lib> = NonNullable<SelfSignedParams<L>['signingAlgorithm']>;
type PublicKeyLike<L extends X509Lib> = CreateParams<L>['publicKey'];
type SigningKeyLike<L extends X509Lib> = CreateParams<L>['signingKey'];

function pemWithNewline(pem: string): string {
  return pem.replace(/\s*$/, '\n');
}
