/**
 * EndpointSlice validation, as pkg/apis/discovery/validation/validation.go (1.32):
 * validateAddressType (IPv4, IPv6, FQDN; the deprecated `IP` only on update), validateEndpoints
 * (1–100 addresses each checked by the slice's address type, ≤ 16 topology labels, hostname a
 * DNS label), validatePorts (≤ 100, names DNS labels and unique, protocol, appProtocol) and the
 * immutable addressType on update. Paths are the internal ones upstream reports (`topology` for
 * v1's deprecatedTopology).
 */
import type { KubeObject } from '../../api/types.js';
import { field, type FieldError } from '../../apimachinery/errors.js';
import { validateLabels } from '../../apimachinery/validation/objectmeta.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../../apimachinery/validation/names.js';
import { asArr, asObj, asStr, dns1123Label, goQuote, invalidGo, isSet, qualifiedName } from './helpers.js';
import { isValidIP, isValidIPv4Address, isValidIPv6Address, validateNonSpecialIP } from './net.js';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const MAX_TOPOLOGY_LABELS = 16;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 100;
const MAX_ENDPOINTS = 1000;

/** field.TooMany: `Too many: <actual>: must have at most <max> items`. */
function tooMany(path: string, actual: number, max: number): FieldError {
  return { type: 'FieldValueTooMany', field: path, detail: `${actual}: must have at most ${max} items` };
}

/** validation.IsFullyQualifiedDomainName. */
function fqdn(path: string, nameIn: string): FieldError[] {
  if (!nameIn) return [field.required(path, '')];
  const name = nameIn.endsWith('.') ? nameIn.slice(0, -1) : nameIn;
  const sub = isDNS1123Subdomain(name);
  if (sub.length) return [field.invalid(path, name, sub.join(','))];
  const labels = name.split('.');
  if (labels.length < 2) return [field.invalid(path, name, 'should be a domain with at least two segments separated by dots')];
  for (const l of labels) {
    const e = isDNS1123Label(l);
    if (e.length) return [field.invalid(path, l, e.join(','))];
  }
  return [];
}

/**
 * IsValidIPv4Address / IsValidIPv6Address and then, unconditionally as upstream (both lists are
 * appended, so an unparsable address reports twice), ValidateNonSpecialIP.
 */
function ipAddress(path: string, value: string, parse: (p: string, v: string) => FieldError[], allowSpecial: boolean): FieldError[] {
  return allowSpecial ? parse(path, value) : [...parse(path, value), ...validateNonSpecialIP(value, path)];
}

/**
 * The API server's own `default/kubernetes` slice. Upstream validates it like any other (its
 * reconciler writes through the API) and would reject a loopback address, but keks's API server
 * really listens on 127.0.0.1 and writes that address itself (src/cluster/kubernetes-service.ts),
 * so this one slice, and only while it carries the apiserver's service-name label, skips
 * ValidateNonSpecialIP. Every other slice gets upstream's check.
 */
function isApiserverSlice(obj: KubeObject): boolean {
  const m = obj.metadata;
  return m.name === 'kubernetes' && m.namespace === 'default' && m.labels?.['kubernetes.io/service-name'] === 'kubernetes';
}

function validateEndpoints(endpoints: unknown[], addrType: string, allowSpecial: boolean): FieldError[] {
  if (endpoints.length > MAX_ENDPOINTS) return [tooMany('endpoints', endpoints.length, MAX_ENDPOINTS)];
  const errs: FieldError[] = [];
  endpoints.forEach((e, i) => {
    const ep = asObj(e);
    const p = `endpoints[${i}]`;
    const addrs = asArr(ep.addresses).map(asStr);
    if (addrs.length === 0) errs.push(field.required(`${p}.addresses`, 'must contain at least 1 address'));
    else if (addrs.length > MAX_ADDRESSES) errs.push(tooMany(`${p}.addresses`, addrs.length, MAX_ADDRESSES));
    addrs.forEach((a, j) => {
      const ap = `${p}.addresses[${j}]`;
      switch (addrType) {
        case 'IP': errs.push(...isValidIP(ap, a)); break;
        case 'IPv4': errs.push(...ipAddress(ap, a, isValidIPv4Address, allowSpecial)); break;
        case 'IPv6': errs.push(...ipAddress(ap, a, isValidIPv6Address, allowSpecial)); break;
        case 'FQDN': errs.push(...fqdn(ap, a)); break;
        default: break;
      }
    });
    const topo = asObj(ep.deprecatedTopology) as Record<string, string>;
    if (Object.keys(topo).length > MAX_TOPOLOGY_LABELS) errs.push(tooMany(`${p}.topology`, Object.keys(topo).length, MAX_TOPOLOGY_LABELS));
    errs.push(...validateLabels(topo, `${p}.topology`));
    if (isSet(ep.hostname)) errs.push(...dns1123Label(asStr(ep.hostname), `${p}.hostname`));
  });
  return errs;
}

function validatePorts(ports: unknown[]): FieldError[] {
  if (ports.length > MAX_PORTS) return [tooMany('ports', ports.length, MAX_PORTS)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((pt, i) => {
    const port = asObj(pt);
    const p = `ports[${i}]`;
    const name = asStr(port.name);
    if (name) errs.push(...dns1123Label(name, `${p}.name`));
    if (names.has(name)) errs.push(field.duplicate(`${p}.name`, name));
    else names.add(name);
    // protocol defaults to TCP (SetDefaults_EndpointPort); an explicit null/"" is not a protocol.
    if (isSet(port.protocol) && !PROTOCOLS.includes(asStr(port.protocol))) errs.push(field.notSupported(`${p}.protocol`, asStr(port.protocol), PROTOCOLS));
    if (isSet(port.appProtocol)) errs.push(...qualifiedName(asStr(port.appProtocol), `${p}.appProtocol`));
  });
  return errs;
}

function validateSlice(obj: KubeObject, types: string[]): FieldError[] {
  const o = obj as unknown as Record<string, unknown>;
  const at = asStr(o.addressType);
  const errs: FieldError[] = [];
  if (!at) errs.push(field.required('addressType', ''));
  else if (!types.includes(at)) errs.push(field.notSupported('addressType', at, types));
  errs.push(...validateEndpoints(asArr(o.endpoints), at, isApiserverSlice(obj)));
  errs.push(...validatePorts(asArr(o.ports)));
  return errs;
}

export function validateEndpointSlice(obj: KubeObject): FieldError[] {
  return validateSlice(obj, ADDRESS_TYPES);
}

export function validateEndpointSliceUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateSlice(obj, ['FQDN', 'IP', 'IPv4', 'IPv6']);
  const n = asStr((obj as unknown as Record<string, unknown>).addressType);
  const o = asStr((old as unknown as Record<string, unknown>).addressType);
  if (n !== o) errs.push(invalidGo('addressType', goQuote(n), 'field is immutable'));
  return errs;
}
