/**
 * Just enough ASN.1 DER to write X.509 v3 certificates (RFC 5280) and to read the few fields
 * keks needs back out of one (the subject Name of a CA). Written here instead of using an X.509
 * library: the one we used (@peculiar/x509) took ~220 ms to import, which alone broke the 300 ms
 * start-up budget of a first `keks start`; node:crypto does the keys and signatures.
 */

function lengthBytes(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), lengthBytes(content.length), content]);
}

export const seq = (...parts: Buffer[]): Buffer => tlv(0x30, Buffer.concat(parts));
export const set = (...parts: Buffer[]): Buffer => tlv(0x31, Buffer.concat(parts));
export const octets = (b: Buffer): Buffer => tlv(0x04, b);
export const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));
export const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0x00]));
export const nullValue = (): Buffer => Buffer.from([0x05, 0x00]);
/** [n] EXPLICIT (constructed, context-specific). */
export const explicit = (n: number, inner: Buffer): Buffer => tlv(0xa0 + n, inner);

/** A non-negative INTEGER from big-endian bytes (a 0x00 is prepended when the top bit is set). */
export function uint(bytes: Buffer): Buffer {
  let b = bytes;
  while (b.length > 1 && b[0] === 0 && (b[1] as number) < 0x80) b = b.subarray(1);
  if ((b[0] as number) >= 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

export function smallInt(n: number): Buffer {
  return uint(Buffer.from([n]));
}

export function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [40 * (parts[0] as number) + (parts[1] as number)];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** BIT STRING with `unused` trailing bits in the last byte. */
export function bitString(bytes: Buffer, unused = 0): Buffer {
  return tlv(0x03, Buffer.concat([Buffer.from([unused]), bytes]));
}

/** UTCTime up to 2049, GeneralizedTime after (RFC 5280 4.1.2.5), second precision. */
export function time(d: Date): Buffer {
  const iso = d.toISOString();
  const digits = iso.slice(0, 19).replace(/[-:T]/g, '');
  const year = d.getUTCFullYear();
  if (year < 2050) return tlv(0x17, Buffer.from(`${digits.slice(2)}Z`, 'ascii'));
  return tlv(0x18, Buffer.from(`${digits}Z`, 'ascii'));
}

export interface DerNode {
  tag: number;
  /** Offset of the tag byte in the buffer. */
  start: number;
  /** Offset of the content. */
  contentStart: number;
  end: number;
}

/** Reads the TLV at `offset`. */
export function readNode(buf: Buffer, offset: number): DerNode {
  const tag = buf[offset] as number;
  let len = buf[offset + 1] as number;
  let p = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (buf[p + i] as number);
    p += n;
  }
  return { tag, start: offset, contentStart: p, end: p + len };
}

/** The children of a constructed node. */
export function children(buf: Buffer, node: DerNode): DerNode[] {
  const out: DerNode[] = [];
  for (let p = node.contentStart; p < node.end; ) {
    const c = readNode(buf, p);
    out.push(c);
    p = c.end;
  }
  return out;
}

/** The DER of a certificate's subject Name (to use as the issuer of what it signs). */
export function certificateSubject(certDer: Buffer): Buffer {
  const cert = readNode(certDer, 0);
  const tbs = children(certDer, cert)[0] as DerNode;
  const fields = children(certDer, tbs);
  // [0] version is optional; then serial, signature, issuer, validity, subject.
  const i = fields[0]?.tag === 0xa0 ? 1 : 0;
  const subject = fields[i + 4] as DerNode;
  return certDer.subarray(subject.start, subject.end);
}
