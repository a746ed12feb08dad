// The traffic plane over a real ELBv2 backend: a listener per owned load balancer, the address
// file, listeners following deletes, and the same local port again after a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createElbv2 } from '../../aws/services/elbv2/elbv2.js';
import type { AwsState, StateTable } from '../../aws/core/state.js';
import { realClock } from '../../util/clock.js';
import { TrafficPlane } from './traffic-plane.js';

/** AWS state in plain maps (add-ons may not reach storage/). */
function memoryState(): AwsState {
  const tables = new Map<string, StateTable<unknown>>();
  return {
    async table<T>(name: string): Promise<StateTable<T>> {
      let t = tables.get(name);
      if (!t) {
        const docs = new Map<string, unknown>();
        t = {
          name, get: (id) => docs.get(id), has: (id) => docs.has(id), values: () => [...docs.keys()].sort().map((k) => docs.get(k)),
          put: async (id, doc) => { docs.set(id, JSON.parse(JSON.stringify(doc))); }, delete: async (id) => { docs.delete(id); },
        };
        tables.set(name, t);
      }
      return t as StateTable<T>;
    },
  };
}

test('listeners for owned load balancers only, written to the file, same port after a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keks-plane-'));
  const m = await createElbv2({ clock: realClock, state: memoryState(), defaultAccountId: '000000000000', defaultRegion: 'us-east-1', timing: { scale: 0 } });
  const b = m.backend;
  const mk = async (name: string, cluster: string | undefined): Promise<string> => {
    const lb = await b.createLoadBalancer({ region: 'us-east-1', accountId: '000000000000', name, type: 'network', scheme: 'internal', vpcId: 'vpc-1', subnets: [], tags: cluster ? { 'elbv2.k8s.aws/cluster': cluster, 'service.k8s.aws/stack': `default/${name}` } : {} });
    const tg = await b.createTargetGroup({ region: 'us-east-1', accountId: '000000000000', name: `${name}-tg`, protocol: 'TCP', port: 80, vpcId: 'vpc-1', targetType: 'ip' });
    await b.createListener({ loadBalancerArn: lb.arn, port: 80, protocol: 'TCP', defaultActions: [{ type: 'forward', targetGroups: [{ arn: tg.arn, weight: 1 }] }] });
    return lb.arn;
  };
  const mine = await mk('mine', 'keks');
  await mk('theirs', 'other');
  await mk('manual', undefined);
  const heard: string[] = [];
  const start = async (serveUnowned: boolean): Promise<TrafficPlane> => {
    const p = new TrafficPlane({ backend: b, clusterName: 'keks', dataDir: dir, resolve: () => undefined, serveUnowned, onListening: (lb, l, local) => heard.push(`${lb.name}:${l.port}@${local}`) });
    await p.start();
    return p;
  };
  try {
    let plane = await start(false);
    const first = plane.addresses();
    assert.deepEqual(first.map((a) => [a.loadBalancerName, a.owner]), [['mine', 'Service default/mine']]);
    const file = JSON.parse(readFileSync(join(dir, 'load-balancers', 'keks.json'), 'utf8')) as { pid: number; listeners: Array<{ local: string }> };
    assert.equal(file.pid, process.pid);
    assert.deepEqual(file.listeners.map((l) => l.local), [first[0].local]);
    assert.equal(heard.length, 1);
    await plane.stop();

    plane = await start(true);
    const again = plane.addresses();
    assert.deepEqual(again.map((a) => a.loadBalancerName).sort(), ['manual', 'mine']);
    assert.equal(again.find((a) => a.loadBalancerName === 'mine')?.local, first[0].local, 'the port is reused after a restart');

    await b.deleteLoadBalancer(mine);
    await plane.whenSynced();
    assert.deepEqual(plane.addresses().map((a) => a.loadBalancerName), ['manual']);
    await plane.stop();
  } finally {
    m.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
