/**
 * The Service REST storage's allocation step (pkg/registry/core/service/storage/alloc.go,
 * allocateCreate / allocateUpdate / releaseAllocatedResources): ClusterIPs from the service
 * CIDR, NodePorts (and the healthCheckNodePort of LoadBalancer services with
 * externalTrafficPolicy Local) from the node-port range. Each call returns a transaction the
 * generic store commits once the object is stored or reverts when the write fails, so a failed
 * write never leaks an address and an update releases what it gave up only once stored.
 *
 * State: in-memory bitmaps, rebuilt from the stored Services (rebuild()) before the first
 * write. Everything here is synchronous, so check-and-set is atomic within one process. Several
 * API replicas sharing one etcd would each keep their own bitmap: see the report / docs (upstream
 * uses IPAddress objects, KEP-1880, for that case).
 */
import type { KubeObject } from '../../api/types.js';
import { invalid, internalError, type FieldError } from '../../apimachinery/errors.js';
import { goStringSlice } from '../../apimachinery/validation/objectmeta.js';
import { AllocationError, ClusterIpAllocator } from './ip-allocator.js';
import { NodePortAllocator } from './port-allocator.js';
import type { RandomFn } from './range-allocator.js';
import { initIPFamilyFields } from './ip-families.js';
import {
  clusterIPs, healthCheckNodePort, isHeadless, needsClusterIP, needsHealthCheck, needsNodePort, nodePortsOf,
  normalizeClusterIPs, portsOf, shouldAllocateNodePorts, specOf,
} from './service-fields.js';

/** What the store calls once the write is known to have succeeded (true) or failed (false). */
export type FinishFn = (success: boolean) => void;

/** One write's allocations and deferred releases. */
class Txn {
  readonly ips: string[] = [];
  readonly ports: number[] = [];
  readonly releaseIps: string[] = [];
  readonly releasePorts: number[] = [];

  constructor(private readonly a: ServiceAllocators) {}

  finish: FinishFn = (success) => {
    if (success) {
      for (const ip of this.releaseIps) this.a.ips.release(ip);
      for (const p of this.releasePorts) this.a.ports.release(p);
    } else {
      for (const ip of this.ips) this.a.ips.release(ip);
      for (const p of this.ports) this.a.ports.release(p);
    }
  };
}

export interface ServiceAllocatorsOptions {
  serviceCidr: string;
  nodePortBase?: number;
  nodePortSize?: number;
  rand?: RandomFn;
}

const invalidSvc = (svc: KubeObject, errs: FieldError[]): Error => invalid({ group: '', kind: 'Service' }, svc.metadata.name ?? '', errs);

export class ServiceAllocators {
  readonly ips: ClusterIpAllocator;
  readonly ports: NodePortAllocator;

  constructor(o: ServiceAllocatorsOptions) {
    this.ips = new ClusterIpAllocator({ cidr: o.serviceCidr, rand: o.rand });
    this.ports = new NodePortAllocator({ base: o.nodePortBase, size: o.nodePortSize, rand: o.rand });
  }

  /** Marks what stored Services hold (start-up repair; out-of-range values are ignored, as repair.go logs them). */
  rebuild(services: Iterable<KubeObject>): void {
    for (const svc of services) {
      if (needsClusterIP(svc) && !isHeadless(svc)) {
        for (const ip of clusterIPs(svc)) { try { this.ips.allocate(ip); } catch { /* leaked or foreign: left alone */ } }
      }
      for (const p of this.portsHeld(svc)) { try { this.ports.allocate(p); } catch { /* duplicate: left alone */ } }
    }
  }

  /** Node ports a stored Service holds (its ports' nodePorts and its healthCheckNodePort). */
  private portsHeld(svc: KubeObject): number[] {
    const out = nodePortsOf(svc);
    if (needsHealthCheck(svc) && healthCheckNodePort(svc) > 0) out.push(healthCheckNodePort(svc));
    return out;
  }

  /** allocateCreate: fills ipFamilies/ipFamilyPolicy/clusterIP(s), nodePorts, healthCheckNodePort. */
  allocateCreate(svc: KubeObject): FinishFn {
    const txn = new Txn(this);
    try {
      normalizeClusterIPs(svc, null);
      initIPFamilyFields(svc, null);
      this.allocClusterIPs(svc, txn);
      if (needsNodePort(svc)) this.initNodePorts(svc, txn);
      if (needsHealthCheck(svc)) this.allocHealthCheckNodePort(svc, txn);
    } catch (e) {
      txn.finish(false);
      throw e;
    }
    return txn.finish;
  }

  /** allocateUpdate: type changes allocate or release (releases happen on commit). */
  allocateUpdate(svc: KubeObject, old: KubeObject): FinishFn {
    const txn = new Txn(this);
    try {
      initIPFamilyFields(svc, old);
      if (!needsClusterIP(old) && needsClusterIP(svc)) this.allocClusterIPs(svc, txn);
      else if (needsClusterIP(old) && !needsClusterIP(svc) && !isHeadless(old)) txn.releaseIps.push(...clusterIPs(old));
      if (needsNodePort(old) && !needsNodePort(svc)) txn.releasePorts.push(...nodePortsOf(old));
      if (needsNodePort(svc)) this.updateNodePorts(svc, old, txn);
      const had = needsHealthCheck(old);
      const needs = needsHealthCheck(svc);
      if (!had && needs) this.allocHealthCheckNodePort(svc, txn);
      else if (had && !needs && healthCheckNodePort(old) > 0) txn.releasePorts.push(healthCheckNodePort(old));
    } catch (e) {
      txn.finish(false);
      throw e;
    }
    return txn.finish;
  }

  /** releaseAllocatedResources: after the Service is gone from storage. */
  release(svc: KubeObject): void {
    if (needsClusterIP(svc) && !isHeadless(svc)) for (const ip of clusterIPs(svc)) this.ips.release(ip);
    for (const p of this.portsHeld(svc)) this.ports.release(p);
  }

  private allocClusterIPs(svc: KubeObject, txn: Txn): void {
    const s = specOf(svc);
    if (!needsClusterIP(svc) || isHeadless(svc)) {
      if (isHeadless(svc)) { s.clusterIP = 'None'; s.clusterIPs = ['None']; }
      return;
    }
    const wanted = clusterIPs(svc)[0] ?? '';
    if (!wanted) {
      let ip: string;
      try { ip = this.ips.allocateNext(); } catch (e) { throw internalError(new Error(`failed to allocate a serviceIP: ${(e as Error).message}`)); }
      txn.ips.push(ip);
      s.clusterIP = ip;
      s.clusterIPs = [ip];
      return;
    }
    try {
      this.ips.allocate(wanted);
    } catch (e) {
      if (!(e instanceof AllocationError)) throw e;
      throw invalidSvc(svc, [{ type: 'FieldValueInvalid', field: 'spec.clusterIPs', detail: `${goStringSlice(clusterIPs(svc))}: failed to allocate IP ${wanted}: ${e.message}` }]);
    }
    txn.ips.push(wanted);
    s.clusterIP = wanted;
  }

  private allocPort(svc: KubeObject, txn: Txn, port: number, path: string): void {
    try {
      this.ports.allocate(port);
    } catch (e) {
      if (!(e instanceof AllocationError)) throw e;
      throw invalidSvc(svc, [{ type: 'FieldValueInvalid', field: path, value: port, detail: e.message }]);
    }
    txn.ports.push(port);
  }

  private nextPort(txn: Txn, what = 'a nodePort'): number {
    let p: number;
    try { p = this.ports.allocateNext(); } catch (e) { throw internalError(new Error(`failed to allocate ${what}: ${(e as Error).message}`)); }
    txn.ports.push(p);
    return p;
  }

  /** initNodePorts: one node port per distinct service port number (TCP and UDP 53 share one). */
  private initNodePorts(svc: KubeObject, txn: Txn): void {
    const ports = portsOf(svc);
    const byPort = new Map<number, number>();
    ports.forEach((p, i) => {
      const np = typeof p.nodePort === 'number' ? p.nodePort : 0;
      if (np === 0 && !shouldAllocateNodePorts(svc)) return;
      const sp = Number(p.port ?? 0);
      const have = byPort.get(sp);
      if (have === undefined) {
        const requested = ports.slice(i).map((q) => (Number(q.port ?? 0) === sp && typeof q.nodePort === 'number' ? q.nodePort : 0)).find((n) => n > 0) ?? 0;
        if (requested) this.allocPort(svc, txn, requested, `spec.ports[${i}].nodePort`);
        const got = requested || this.nextPort(txn);
        p.nodePort = got;
        byPort.set(sp, got);
      } else if (np !== have) {
        if (np === 0) p.nodePort = have;
        else this.allocPort(svc, txn, np, `spec.ports[${i}].nodePort`);
      }
    });
  }

  /** updateNodePorts: keep old ports, allocate new or requested ones, release what is no longer used. */
  private updateNodePorts(svc: KubeObject, old: KubeObject, txn: Txn): void {
    const oldPorts = new Set(needsNodePort(old) ? nodePortsOf(old) : []);
    const taken = new Set<number>();
    portsOf(svc).forEach((p, i) => {
      const np = typeof p.nodePort === 'number' ? p.nodePort : 0;
      if (np === 0 && !shouldAllocateNodePorts(svc)) return;
      if (np !== 0) {
        if (!oldPorts.has(np) && !taken.has(np)) { this.allocPort(svc, txn, np, `spec.ports[${i}].nodePort`); taken.add(np); }
      } else {
        p.nodePort = this.nextPort(txn);
      }
    });
    const now = new Set(nodePortsOf(svc));
    for (const p of oldPorts) if (!now.has(p)) txn.releasePorts.push(p);
  }

  private allocHealthCheckNodePort(svc: KubeObject, txn: Txn): void {
    const s = specOf(svc);
    const want = healthCheckNodePort(svc);
    if (want) {
      try {
        this.ports.allocate(want);
      } catch (e) {
        throw internalError(new Error(`failed to allocate requested HealthCheck NodePort ${want}: ${(e as Error).message}`));
      }
      txn.ports.push(want);
      return;
    }
    s.healthCheckNodePort = this.nextPort(txn, 'a HealthCheck NodePort 0');
  }
}
