/**
 * The PROXY protocol (haproxy.org/download/2.9/doc/proxy-protocol.txt), as an NLB target group
 * with `proxy_protocol_v2.enabled` speaks it: before the client's first byte the target receives
 * a binary v2 header naming the client's address and port (source) and the load balancer's
 * (destination). Servers configured for it (nginx `listen … proxy_protocol`) read the header and
 * then the stream; `readProxyHeader` does that, accepting v2 and the v1 text form.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** \r\n\r\n\0\r\nQUIT\n */
export const PROXY_V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);

export interface ProxyEndpoints {
  sourceIp: string;
  sourcePort: number;
  destinationIp: string;
  destinationPort: number;
}

function unmapped(ip: string): string {
  return ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
}

function ipv6Bytes(address: string): Buffer {
  // A trailing dotted quad (::ffff:10.0.0.1) is two groups.
  const ip = address.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a: string, b: string, c: string, d: string) =>
    `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`);
  const [head, tail = ''] = ip.split('::');
  const parts = (s: string): string[] => (s ? s.split(':') : []);
  const h = parts(head);
  const t = parts(tail);
  const groups = ip.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g || '0', 16), i * 2));
  return out;
}

/**
 * A v2 PROXY header (command PROXY, TCP over IPv4 or IPv6). Mixed families are written as IPv6
 * with v4-mapped addresses, as the spec asks when both ends must share one family.
 */
export function proxyV2Header(e: ProxyEndpoints): Buffer {
  const src = unmapped(e.sourceIp);
  const dst = unmapped(e.destinationIp);
  const v4 = isIPv4(src) && isIPv4(dst);
  const addrLen = v4 ? 12 : 36;
  const out = Buffer.alloc(16 + addrLen);
  PROXY_V2_SIGNATURE.copy(out, 0);
  out[12] = 0x21; // version 2, command PROXY
  out[13] = v4 ? 0x11 : 0x21; // AF_INET or AF_INET6, SOCK_STREAM
  out.writeUInt16BE(addrLen, 14);
  if (v4) {
    src.split('.').forEach((o, i) => { out[16 + i] = Number(o); });
    dst.split('.').forEach((o, i) => { out[20 + i] = Number(o); });
    out.writeUInt16BE(e.sourcePort, 24);
    out.writeUInt16BE(e.destinationPort, 26);
  } else {
    ipv6Bytes(isIPv6(src) ? src : `::ffff:${src}`).copy(out, 16);
    ipv6Bytes(isIPv6(dst) ? dst : `::ffff:${dst}`).copy(out, 32);
    out.writeUInt16BE(e.sourcePort, 48);
    out.writeUInt16BE(e.destinationPort, 50);
  }
  return out;
}

export type ProxyParse =
  | { kind: 'none' }
  | { kind: 'incomplete' }
  | { kind: 'invalid' }
  /** `endpoints` is undefined for LOCAL / UNKNOWN (health checks): the connection's own addresses stand. */
  | { kind: 'header'; length: number; endpoints?: ProxyEndpoints };

function ipv6Text(b: Buffer, at: number): string {
  const groups: string[] = [];
  for (let i = 0; i < 8; i++) groups.push(b.readUInt16BE(at + i * 2).toString(16));
  const text = groups.join(':');
  return text.startsWith('0:0:0:0:0:ffff:') ? `::ffff:${groups.slice(6).map((g) => parseInt(g, 16)).flatMap((n) => [n >> 8, n & 255]).join('.')}` : text;
}

/** Reads a PROXY header at the start of `buf` (the first bytes of a connection). */
export function readProxyHeader(buf: Buffer): ProxyParse {
  if (buf.length === 0) return { kind: 'incomplete' };
  if (buf[0] === 0x0d) {
    const n = Math.min(buf.length, PROXY_V2_SIGNATURE.length);
    if (!buf.subarray(0, n).equals(PROXY_V2_SIGNATURE.subarray(0, n))) return { kind: 'none' };
    if (buf.length < 16) return { kind: 'incomplete' };
    if ((buf[12] >> 4) !== 2) return { kind: 'invalid' };
    const length = 16 + buf.readUInt16BE(14);
    if (buf.length < length) return { kind: 'incomplete' };
    const command = buf[12] & 0x0f;
    const family = buf[13] >> 4;
    if (command === 0 || family === 0) return { kind: 'header', length };
    if (family === 1 && length >= 28) {
      return { kind: 'header', length, endpoints: {
        sourceIp: [...buf.subarray(16, 20)].join('.'), destinationIp: [...buf.subarray(20, 24)].join('.'),
        sourcePort: buf.readUInt16BE(24), destinationPort: buf.readUInt16BE(26),
      } };
    }
    if (family === 2 && length >= 52) {
      return { kind: 'header', length, endpoints: {
        sourceIp: ipv6Text(buf, 16), destinationIp: ipv6Text(buf, 32), sourcePort: buf.readUInt16BE(48), destinationPort: buf.readUInt16BE(50),
      } };
    }
    return { kind: 'invalid' };
  }
  const prefix = 'PROXY ';
  const n = Math.min(buf.length, prefix.length);
  if (buf.toString('latin1', 0, n) !== prefix.slice(0, n)) return { kind: 'none' };
  const end = buf.indexOf('\r\n');
  if (end < 0) return buf.length > 107 ? { kind: 'invalid' } : { kind: 'incomplete' };
  const fields = buf.toString('latin1', 0, end).split(' ');
  if (fields[1] === 'UNKNOWN') return { kind: 'header', length: end + 2 };
  if (fields.length !== 6 || (fields[1] !== 'TCP4' && fields[1] !== 'TCP6')) return { kind: 'invalid' };
  return { kind: 'header', length: end + 2, endpoints: {
    sourceIp: fields[2], destinationIp: fields[3], sourcePort: Number(fields[4]), destinationPort: Number(fields[5]),
  } };
}
