// Shared set-up of the load balancer integration tests: a keks with simulated nodes, a real
// ELBv2 backend over a MemoryStore, the process runtime and the load balancer controller, all
// on the real clock (ELBv2 delays scaled down), plus small HTTP helpers.
import http from 'node:http';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { createElbv2, type Elbv2Module } from '../../src/aws/services/elbv2/elbv2.js';
import { storeBackedState } from '../../src/aws/core/state.js';
import { MemoryStore } from '../../src/storage/memory/memory-store.js';
import { realClock } from '../../src/util/clock.js';
import { startProcessRuntime, type ProcessRuntime } from '../../src/addons/runtime/runtime.js';
import { startLoadBalancerController, type LoadBalancerControllerHandle } from '../../src/addons/load-balancer/index.js';
import type { ApiClient } from '../../src/client/client.js';
import type { KubeObject } from '../../src/api/types.js';

export interface LbLab {
  tk: TestKeks;
  client: ApiClient;
  elbv2: Elbv2Module;
  runtime: ProcessRuntime;
  lb: LoadBalancerControllerHandle;
  stop(): Promise<void>;
}

export async function startLbLab(scale: number): Promise<LbLab> {
  // keks's own load balancer add-on is off: this lab runs its controller with a fast ELBv2 time scale.
  const tk = await startTestKeks({ nodes: 3, store: 'memory', clusterAddons: false });
  const client = tk.cluster.client;
  const elbv2 = await createElbv2({ clock: realClock, state: storeBackedState(new MemoryStore()), defaultAccountId: '000000000000', defaultRegion: 'us-east-1', timing: { scale } });
  const runtime = startProcessRuntime({ client, clock: realClock });
  const lb = startLoadBalancerController({
    client, clock: realClock, elbv2: elbv2.backend, region: 'us-east-1', clusterName: 'keks', dataDir: tk.dataDir,
    resolvePod: (ip, port) => runtime.resolve(ip, port), serveUnownedLoadBalancers: true,
  });
  await lb.ready;
  await runtime.ready();
  return {
    tk, client, elbv2, runtime, lb,
    async stop() {
      await lb.stop();
      await runtime.stop();
      elbv2.close();
      await tk.stop();
    },
  };
}

/** One HTTP GET on a fresh connection (so an NLB balances it anew). */
export function get(address: string, path = '/', headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  const [host, port] = address.split(':');
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port: Number(port), path, headers, agent: false, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

export function hostnameOf(body: string): string {
  return /Hostname: (\S+)/.exec(body)?.[1] ?? '';
}

export function deployment(name: string, replicas: number, container: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', ...container }] } } },
  };
}
