/**
 * The subsets of a Service's Endpoints, as endpoints_controller.go syncService builds them:
 * one (address, port) entry per selected pod and service port — ready pods (or every pod when
 * publishNotReadyAddresses) under `addresses`, the others under `notReadyAddresses`; a named
 * targetPort resolves per pod and a pod without that port is left out of that port; a headless
 * Service without ports lists addresses alone — then RepackSubsets groups ports offered by the
 * same set of addresses into one subset. Ordering: addresses by IP then uid (SortSubsets); ports
 * and subsets in a stable order of our own (upstream orders them by an object hash).
 */
import type { KubeObject } from '../../api/types.js';
import {
  findPort, isHeadlessService, isPodReady, podHostname, podIP, podRef, publishNotReady, servicePorts, shouldPodBeInEndpoints,
} from './pod-endpoints.js';

export interface EndpointAddress { ip: string; hostname?: string; nodeName?: string; targetRef: { kind: string; namespace: string; name: string; uid: string } }
export interface EndpointPort { name?: string; port: number; protocol: string; appProtocol?: string }
export interface EndpointSubset { addresses?: EndpointAddress[]; notReadyAddresses?: EndpointAddress[]; ports?: EndpointPort[] }

/** maxCapacity: Endpoints hold at most 1000 addresses (the rest only in EndpointSlices). */
export const MAX_ENDPOINTS_ADDRESSES = 1000;

interface Entry { addr: EndpointAddress; ready: boolean; port?: EndpointPort }

const portKey = (p: EndpointPort | undefined): string => (p ? JSON.stringify([p.name ?? '', p.port, p.protocol, p.appProtocol ?? '']) : '');
const addrKey = (a: EndpointAddress): string => `${a.ip}/${a.targetRef.uid}`;
const byIpThenUid = (a: EndpointAddress, b: EndpointAddress): number => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : a.targetRef.uid < b.targetRef.uid ? -1 : a.targetRef.uid > b.targetRef.uid ? 1 : 0);

export function computeSubsets(svc: KubeObject, pods: KubeObject[]): { subsets: EndpointSubset[]; truncated: boolean } {
  const tolerate = publishNotReady(svc);
  const ports = servicePorts(svc);
  const entries: Entry[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, tolerate)) continue;
    const addr: EndpointAddress = { ip: podIP(pod), targetRef: podRef(pod) };
    const host = podHostname(pod, svc);
    if (host) addr.hostname = host;
    const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    if (node) addr.nodeName = node;
    // Reorder keys as the API serialises EndpointAddress (ip, hostname, nodeName, targetRef).
    const a: EndpointAddress = { ip: addr.ip, ...(addr.hostname ? { hostname: addr.hostname } : {}), ...(addr.nodeName ? { nodeName: addr.nodeName } : {}), targetRef: addr.targetRef };
    const ready = tolerate || isPodReady(pod);
    if (ports.length === 0) {
      if (isHeadlessService(svc)) entries.push({ addr: a, ready });
      continue;
    }
    for (const sp of ports) {
      const n = findPort(pod, sp);
      if (n === undefined) continue;
      const ep: EndpointPort = { ...(sp.name ? { name: sp.name } : {}), port: n, protocol: sp.protocol, ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) };
      entries.push({ addr: a, ready, port: ep });
    }
  }
  return repack(entries);
}

/** RepackSubsets: port → address set, then address set → ports. */
function repack(entries: Entry[]): { subsets: EndpointSubset[]; truncated: boolean } {
  const byPort = new Map<string, { port?: EndpointPort; addrs: Map<string, Entry> }>();
  for (const e of entries) {
    const k = portKey(e.port);
    let g = byPort.get(k);
    if (!g) { g = { port: e.port, addrs: new Map() }; byPort.set(k, g); }
    g.addrs.set(addrKey(e.addr), e);
  }
  const bySet = new Map<string, { addrs: Entry[]; ports: EndpointPort[] }>();
  for (const g of byPort.values()) {
    const list = [...g.addrs.values()].sort((a, b) => byIpThenUid(a.addr, b.addr));
    const k = list.map((e) => `${addrKey(e.addr)}:${e.ready}`).join(',');
    let s = bySet.get(k);
    if (!s) { s = { addrs: list, ports: [] }; bySet.set(k, s); }
    if (g.port) s.ports.push(g.port);
  }
  let subsets: EndpointSubset[] = [...bySet.values()].map((s) => {
    const out: EndpointSubset = {};
    const ready = s.addrs.filter((e) => e.ready).map((e) => e.addr);
    const notReady = s.addrs.filter((e) => !e.ready).map((e) => e.addr);
    if (ready.length) out.addresses = ready;
    if (notReady.length) out.notReadyAddresses = notReady;
    if (s.ports.length) out.ports = s.ports.sort((a, b) => portKey(a).localeCompare(portKey(b)));
    return out;
  });
  subsets.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  let total = 0;
  for (const s of subsets) total += (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0);
  if (total <= MAX_ENDPOINTS_ADDRESSES) return { subsets, truncated: false };
  // truncateEndpoints: keep ready addresses first, proportionally per subset.
  let left = MAX_ENDPOINTS_ADDRESSES;
  subsets = subsets.map((s) => {
    const out = { ...s };
    const take = (xs: EndpointAddress[] | undefined): EndpointAddress[] | undefined => {
      if (!xs) return undefined;
      const kept = xs.slice(0, Math.max(0, left));
      left -= kept.length;
      return kept.length ? kept : undefined;
    };
    out.addresses = take(s.addresses);
    out.notReadyAddresses = take(s.notReadyAddresses);
    if (!out.addresses) delete out.addresses;
    if (!out.notReadyAddresses) delete out.notReadyAddresses;
    return out;
  }).filter((s) => s.addresses || s.notReadyAddresses);
  return { subsets, truncated: true };
}
