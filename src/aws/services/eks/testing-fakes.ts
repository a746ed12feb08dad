/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Test doubles for the EKS cluster part's unit tests (not used at run time): control planes whose
 * client talks to a tiny in-memory object map, an EC2 backend with a 192.168.0.0/16 VPC and three
 * subnets in three AZs (plus a 10.0.0.0/16 VPC), an IAM backend that knows listed roles/users,
 * and the request context of the root caller.
 */
import type { AwsPrincipal, AwsRequestContext, AccessKeyRecord, RestJsonService } from '../../core/types.js';
import type { ControlPlaneHandle, ControlPlaneSpec, ControlPlanes, Ec2Backend, IamBackend, IamRoleInfo, InstanceInfo, SubnetInfo, VpcInfo } from '../../core/backends.js';
import { ApiClient } from '../../../client/client.js';
import type { Transport, TransportRequest, TransportResponse } from '../../../client/transport.js';
import type { KubeObject } from '../../../api/types.js';
import { FakeClock } from '../../../util/clock.js';
import { MemoryStore } from '../../../storage/memory/memory-store.js';
import { storeBackedState, type AwsState } from '../../core/state.js';
import { createEks, type Eks } from './service.js';
import type { ClusterDependents } from './model.js';

export const ACCOUNT = '000000000000';
export const REGION = 'ap-northeast-2';

export const ROOT: AwsPrincipal = { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, userId: ACCOUNT, type: 'root' };

export function ctxOf(operation = 'Test', caller: AwsPrincipal = ROOT, region = REGION): AwsRequestContext {
  return { requestId: 'req-1', region, caller, accessKeyId: 'test', service: 'eks', operation };
}

/** A map of objects by API path (POST creates at path/<name>); answers like an API server would. */
export class FakeObjects implements Transport {
  readonly objects = new Map<string, KubeObject>();
  readonly log: string[] = [];
  private rv = 1;

  async request(req: TransportRequest): Promise<TransportResponse> {
    const path = req.path.split('?')[0];
    this.log.push(`${req.method} ${path}`);
    const json = (status: number, body: unknown): TransportResponse => ({ status, headers: {}, body: JSON.stringify(body) });
    const status = (code: number, reason: string): TransportResponse => json(code, { kind: 'Status', status: 'Failure', reason, code, message: reason });
    if (req.method === 'POST') {
      const obj = JSON.parse(req.body ?? '{}') as KubeObject;
      const key = `${path}/${obj.metadata.name}`;
      if (this.objects.has(key)) return status(409, 'AlreadyExists');
      const stored = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(this.rv++), uid: `uid-${this.rv}` } };
      this.objects.set(key, stored);
      return json(201, stored);
    }
    const cur = this.objects.get(path);
    if (req.method === 'GET') return cur ? json(200, cur) : status(404, 'NotFound');
    if (req.method === 'PUT') {
      if (!cur) return status(404, 'NotFound');
      const obj = JSON.parse(req.body ?? '{}') as KubeObject;
      const stored = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(this.rv++) } };
      this.objects.set(path, stored);
      return json(200, stored);
    }
    if (req.method === 'DELETE') {
      if (!cur) return status(404, 'NotFound');
      this.objects.delete(path);
      return json(200, cur);
    }
    return status(405, 'MethodNotAllowed');
  }

  stream(): { abort(): void } { throw new Error('FakeObjects: watch not supported'); }

  get(path: string): KubeObject | undefined { return this.objects.get(path); }
}

export interface FakeHandle extends ControlPlaneHandle {
  cidrs: string[] | undefined;
  objects: FakeObjects;
  spec: ControlPlaneSpec;
}

export class FakeControlPlanes implements ControlPlanes {
  readonly planes = new Map<string, FakeHandle>();
  readonly created: ControlPlaneSpec[] = [];
  readonly deleted: string[] = [];
  failNext: Error | undefined;
  private nextPort = 40000;

  async create(spec: ControlPlaneSpec): Promise<ControlPlaneHandle> {
    this.created.push(spec);
    if (this.failNext) { const e = this.failNext; this.failNext = undefined; throw e; }
    const port = spec.port || this.nextPort++;
    const objects = new FakeObjects();
    const h: FakeHandle = {
      name: spec.name, endpoint: `https://127.0.0.1:${port}`, port, spec,
      caPem: `-----BEGIN CERTIFICATE-----\nMIIfake${spec.name}\n-----END CERTIFICATE-----\n`,
      client: new ApiClient(objects), objects, cidrs: undefined,
      setPublicAccessCidrs(c) { h.cidrs = c; },
    };
    this.planes.set(spec.name, h);
    return h;
  }

  get(name: string): FakeHandle | undefined { return this.planes.get(name); }

  async delete(name: string): Promise<void> {
    this.deleted.push(name);
    this.planes.delete(name);
  }
}

export class FakeEc2 implements Ec2Backend {
  readonly vpcs: VpcInfo[] = [
    { vpcId: 'vpc-default', cidrBlock: '192.168.0.0/16', isDefault: true },
    { vpcId: 'vpc-ten', cidrBlock: '10.0.0.0/16', isDefault: false },
  ];
  readonly subnets: SubnetInfo[] = [
    ...['a', 'b', 'c'].map((z, i) => ({ subnetId: `subnet-${z}`, vpcId: 'vpc-default', cidrBlock: `192.168.${i * 32}.0/19`, availabilityZone: `${REGION}${z}`, availabilityZoneId: `apne2-az${i + 1}`, mapPublicIpOnLaunch: false })),
    { subnetId: 'subnet-a2', vpcId: 'vpc-default', cidrBlock: '192.168.96.0/19', availabilityZone: `${REGION}a`, availabilityZoneId: 'apne2-az1', mapPublicIpOnLaunch: true },
    ...['a', 'b'].map((z, i) => ({ subnetId: `subnet-ten-${z}`, vpcId: 'vpc-ten', cidrBlock: `10.0.${i}.0/24`, availabilityZone: `${REGION}${z}`, availabilityZoneId: `apne2-az${i + 1}`, mapPublicIpOnLaunch: false })),
  ];
  readonly groups = new Map<string, { name: string; vpcId: string; tags?: Record<string, string> }>();
  private seq = 1;

  vpc(_region: string, id: string): VpcInfo | undefined { return this.vpcs.find((v) => v.vpcId === id); }
  subnet(_region: string, id: string): SubnetInfo | undefined { return this.subnets.find((s) => s.subnetId === id); }
  subnetsOf(_region: string, vpcId: string): SubnetInfo[] { return this.subnets.filter((s) => s.vpcId === vpcId); }
  async createSecurityGroup(input: { region: string; accountId: string; vpcId: string; name: string; description: string; tags?: Record<string, string> }): Promise<string> {
    const id = `sg-${String(this.seq++).padStart(17, '0')}`;
    this.groups.set(id, { name: input.name, vpcId: input.vpcId, tags: input.tags });
    return id;
  }
  async deleteSecurityGroup(_region: string, id: string): Promise<void> { this.groups.delete(id); }
  defaultVpc(): VpcInfo { return this.vpcs[0]; }
  async runInstances(): Promise<InstanceInfo[]> { throw new Error('FakeEc2: runInstances not supported'); }
  async terminateInstances(): Promise<void> { throw new Error('FakeEc2: terminateInstances not supported'); }
  instance(): InstanceInfo | undefined { return undefined; }
  allocatePrivateIp(): string { throw new Error('FakeEc2: allocatePrivateIp not supported'); }
  releasePrivateIp(): void { /* nothing allocated */ }
}

export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/eks-cluster-role`;

export class FakeIam implements IamBackend {
  readonly roles = new Set<string>([ROLE_ARN, `arn:aws:iam::${ACCOUNT}:role/Admin`, `arn:aws:iam::${ACCOUNT}:role/nodes`]);
  readonly users = new Set<string>([`arn:aws:iam::${ACCOUNT}:user/alice`]);
  lookup(_id: string): AccessKeyRecord | undefined { return undefined; }
  roleByArn(arn: string): IamRoleInfo | undefined {
    if (!this.roles.has(arn)) return undefined;
    const name = arn.split('/').pop() as string;
    return { arn, roleName: name, roleId: `AROA${name.toUpperCase()}`, accountId: ACCOUNT, path: '/', assumeRolePolicyDocument: '{}' };
  }
  principalExists(arn: string): boolean { return this.roles.has(arn) || this.users.has(arn); }
  oidcProviderUrls(): string[] { return []; }
}

/**
 * Calls the route of `service` that matches method + path (path segments split on "/" first,
 * then percent-decoded, as the endpoint does), like the HTTP core would, without HTTP.
 */
export async function invoke(service: RestJsonService, method: string, pathAndQuery: string, body: Record<string, unknown> = {}, ctx: AwsRequestContext = ctxOf()): Promise<unknown> {
  const [path, qs] = pathAndQuery.split('?');
  const segs = path.split('/').slice(1);
  for (const r of service.routes) {
    if (r.method !== method) continue;
    const tpl = r.path.split('/').slice(1);
    if (tpl.length !== segs.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < tpl.length && ok; i++) {
      const m = /^\{(\w+)\}$/.exec(tpl[i]);
      if (m) params[m[1]] = decodeURIComponent(segs[i]);
      else ok = tpl[i] === segs[i];
    }
    if (!ok) continue;
    return r.handler({ params, query: new URLSearchParams(qs ?? ''), body }, { ...ctx, operation: r.operation });
  }
  throw new Error(`no route for ${method} ${path}`);
}

export interface TestEks {
  eks: Eks;
  cps: FakeControlPlanes;
  ec2: FakeEc2;
  iam: FakeIam;
  clock: FakeClock;
  state: AwsState;
  store: MemoryStore;
  call(method: string, path: string, body?: Record<string, unknown>, ctx?: AwsRequestContext): Promise<Record<string, any>>;
  /** CreateCluster with valid defaults plus `extra`. */
  createCluster(name: string, extra?: Record<string, unknown>): Promise<Record<string, any>>;
}

/** A createEks over fakes and a memory store (pass `store`/`cps` to simulate a restart). */
export async function testEks(o: { scale?: number; store?: MemoryStore; cps?: FakeControlPlanes; clock?: FakeClock; dependents?: ClusterDependents; clusterQuota?: number } = {}): Promise<TestEks> {
  const store = o.store ?? new MemoryStore();
  const state = storeBackedState(store);
  const cps = o.cps ?? new FakeControlPlanes();
  const ec2 = new FakeEc2();
  const iam = new FakeIam();
  const clock = o.clock ?? new FakeClock(Date.UTC(2026, 10, 22, 9, 0, 0));
  const eks = await createEks({
    clock, state, defaultAccountId: ACCOUNT, defaultRegion: REGION, controlPlanes: cps, ec2, iam,
    ...(o.dependents ? { dependents: o.dependents } : {}), ...(o.scale ? { timing: { scale: o.scale } } : {}),
    ...(o.clusterQuota ? { clusterQuota: o.clusterQuota } : {}),
  });
  const call = async (method: string, path: string, body: Record<string, unknown> = {}, ctx?: AwsRequestContext) => (await invoke(eks.service, method, path, body, ctx)) as Record<string, any>;
  return {
    eks, cps, ec2, iam, clock, state, store, call,
    // Self-managed add-ons off unless a test asks: the fake control planes start with an empty kube-system.
    createCluster: (name, extra = {}) => call('POST', '/clusters', { name, roleArn: ROLE_ARN, resourcesVpcConfig: { subnetIds: ['subnet-a', 'subnet-b'] }, bootstrapSelfManagedAddons: false, ...extra }),
  };
}
