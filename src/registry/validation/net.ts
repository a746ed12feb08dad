/**
 * IP and CIDR checks of built-in validation, as k8s.io/apimachinery/pkg/util/validation/ip.go
 * (1.32: IsValidIP, IsValidIPv4Address, IsValidIPv6Address, IsValidCIDR) over
 * k8s.io/utils/net's ParseIPSloppy / ParseCIDRSloppy (IPv4 octets may carry leading zeros and
 * are read as decimal), plus ValidateNonSpecialIP of pkg/apis/core/validation.
 */
import { isIPv6 } from 'node:net';
import { field, type FieldError } from '../../apimachinery/errors.js';

export const IP_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
export const CIDR_MSG = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

/** A parsed address: 4 bytes (IPv4, including IPv4-mapped IPv6 as Go's To4 sees it) or 16 bytes. */
export interface ParsedIP { bytes: number[]; v4: boolean }

function parseV4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

function parseV6(s: string): number[] | undefined {
  if (s.includes('%') || !isIPv6(s)) return undefined;
  let head = s;
  let tailV4: number[] = [];
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    const v4 = parseV4(s.slice(lastColon + 1));
    if (!v4) return undefined;
    tailV4 = v4;
    head = s.slice(0, lastColon + 1) + '0:0';
  }
  const [l, r] = head.includes('::') ? head.split('::') as [string, string] : [head, undefined];
  const groups = (x: string): number[] => (x ? x.split(':').map((g) => parseInt(g, 16)) : []);
  const left = groups(l);
  const right = r === undefined ? [] : groups(r);
  const fill = r === undefined ? [] : new Array<number>(8 - left.length - right.length).fill(0);
  const words = [...left, ...fill, ...right];
  if (words.length !== 8) return undefined;
  const bytes = words.flatMap((w) => [w >> 8, w & 0xff]);
  if (tailV4.length) bytes.splice(12, 4, ...tailV4);
  return bytes;
}

/** netutils.ParseIPSloppy; IPv4-mapped IPv6 reports as IPv4 (Go's To4() != nil). */
export function parseIPSloppy(s: string): ParsedIP | undefined {
  const v4 = parseV4(s);
  if (v4) return { bytes: v4, v4: true };
  const v6 = parseV6(s);
  if (!v6) return undefined;
  const mapped = v6.slice(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff;
  return mapped ? { bytes: v6.slice(12), v4: true } : { bytes: v6, v4: false };
}

/** validation.IsValidIP. */
export function isValidIP(path: string, value: string): FieldError[] {
  return parseIPSloppy(value) ? [] : [field.invalid(path, value, IP_MSG)];
}

export function isValidIPv4Address(path: string, value: string): FieldError[] {
  const ip = parseIPSloppy(value);
  return ip && ip.v4 ? [] : [field.invalid(path, value, 'must be a valid IPv4 address')];
}

export function isValidIPv6Address(path: string, value: string): FieldError[] {
  const ip = parseIPSloppy(value);
  return ip && !ip.v4 ? [] : [field.invalid(path, value, 'must be a valid IPv6 address')];
}

/** ValidateNonSpecialIP (Endpoints, EndpointSlices): no unspecified, loopback or link-local addresses. */
export function validateNonSpecialIP(value: string, path: string): FieldError[] {
  const ip = parseIPSloppy(value);
  if (!ip) return [field.invalid(path, value, 'must be a valid IP address')];
  const b = ip.bytes;
  const errs: FieldError[] = [];
  if (b.every((x) => x === 0)) errs.push(field.invalid(path, value, `may not be unspecified (${value})`));
  const loopback = ip.v4 ? b[0] === 127 : b.slice(0, 15).every((x) => x === 0) && b[15] === 1;
  if (loopback) errs.push(field.invalid(path, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  const llUnicast = ip.v4 ? b[0] === 169 && b[1] === 254 : b[0] === 0xfe && (b[1]! & 0xc0) === 0x80;
  if (llUnicast) errs.push(field.invalid(path, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  const llMulticast = ip.v4 ? b[0] === 224 && b[1] === 0 && b[2] === 0 : b[0] === 0xff && (b[1]! & 0x0f) === 0x02;
  if (llMulticast) errs.push(field.invalid(path, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  return errs;
}

export interface ParsedCIDR { ip: ParsedIP; prefix: number }

/** netutils.ParseCIDRSloppy: `<ip>/<prefix>`, the address masked to the network. */
export function parseCIDRSloppy(s: string): ParsedCIDR | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const addr = s.slice(0, slash);
  const pfx = s.slice(slash + 1);
  if (!/^[0-9]+$/.test(pfx)) return undefined;
  const v4 = parseV4(addr);
  const bytes = v4 ?? parseV6(addr);
  if (!bytes) return undefined;
  const bits = bytes.length * 8;
  const prefix = Number(pfx);
  if (prefix > bits) return undefined;
  const masked = bytes.map((x, i) => {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    return x & (keep === 0 ? 0 : (0xff << (8 - keep)) & 0xff);
  });
  return { ip: { bytes: masked, v4: bytes.length === 4 }, prefix };
}

/** validation.IsValidCIDR (1.32, sloppy parsing). */
export function isValidCIDR(path: string, value: string): FieldError[] {
  return parseCIDRSloppy(value) ? [] : [field.invalid(path, value, CIDR_MSG)];
}

/** net.IPNet.Contains of `outer` for the network address of `inner`. */
export function cidrContains(outer: ParsedCIDR, inner: ParsedCIDR): boolean {
  if (outer.ip.bytes.length !== inner.ip.bytes.length) return false;
  for (let i = 0; i < outer.ip.bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, outer.prefix - i * 8));
    const mask = keep === 0 ? 0 : (0xff << (8 - keep)) & 0xff;
    if ((inner.ip.bytes[i]! & mask) !== outer.ip.bytes[i]) return false;
  }
  return true;
}
