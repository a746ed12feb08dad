/**
 * Test harness: a real keks (one cluster, HTTPS listener on 127.0.0.1, any free port) in this
 * process, a temp data dir, a kubeconfig for the admin identity, and a bearer token, all
 * removed by stop(). Integration and e2e tests start from here.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startKeks, type Keks } from '../main.js';
import { defaultConfig, type StoreKind } from '../config/config.js';
import { renderKubeconfig } from '../cli/kubeconfig.js';
import type { Clock } from '../util/clock.js';
import { silentLogger } from '../util/log.js';
import type { Cluster } from '../cluster/cluster.js';

export interface TestKeks {
  keks: Keks;
  cluster: Cluster;
  endpoint: string;
  dataDir: string;
  /** Admin kubeconfig (client certificate, system:masters). */
  kubeconfig: string;
  /** Bearer token of a system:masters user (for raw HTTP clients). */
  token: string;
  caPem: string;
  /** The AWS endpoint, e.g. http://127.0.0.1:41234 (root key test/test, account 000000000000). */
  awsEndpoint: string;
  stop(opts?: { keepData?: boolean }): Promise<void>;
}

export interface TestKeksOptions {
  store?: StoreKind;
  dataDir?: string;
  etcdEndpoints?: string[];
  clock?: Clock;
  port?: number;
  /** Run only these controllers (e.g. to write a Deployment's status without the Deployment controller). */
  controllers?: string[];
  /** Simulated nodes (default 0 here, so tests that do not care stay quiet; `keks start` makes 3). */
  nodes?: number;
  zones?: string[];
  instanceType?: string;
  /** AWS endpoint port (default any free one). */
  awsPort?: number;
  /** Start each cluster's add-ons (load balancer controller, process runtime); default true. */
  clusterAddons?: boolean;
  /** The default cluster's self-managed vpc-cni/coredns/kube-proxy objects; default false here (quiet kube-system). */
  selfManagedAddons?: boolean;
}

export async function startTestKeks(opts: TestKeksOptions = {}): Promise<TestKeks> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'keks-test-'));
  const token = randomBytes(24).toString('hex');
  const config = { ...defaultConfig({}), dataDir, port: opts.port ?? 0, awsPort: opts.awsPort ?? 0, store: opts.store ?? 'sqlite', etcdEndpoints: opts.etcdEndpoints ?? [], kubeconfig: '', logLevel: 'silent' as const,
    nodes: opts.nodes ?? 0, zones: opts.zones ?? [], instanceType: opts.instanceType ?? 't3.medium' };
  const keks = await startKeks(config, {
    clock: opts.clock, logger: silentLogger,
    controllers: opts.controllers,
    clusterAddons: opts.clusterAddons,
    selfManagedAddons: opts.selfManagedAddons ?? false,
    tokens: new Map([[token, { username: 'test-admin', groups: ['system:masters', 'system:authenticated'] }]]),
  });
  const cluster = keks.clusters[0];
  const kubeconfig = join(dataDir, 'kubeconfig');
  writeFileSync(kubeconfig, renderKubeconfig({
    clusterName: 'keks', contextName: 'keks', userName: 'keks-admin', server: cluster.endpoint,
    caPem: cluster.pki.ca.certPem, clientCertPem: cluster.pki.admin.certPem, clientKeyPem: cluster.pki.admin.keyPem,
  }), { mode: 0o600 });
  return {
    keks, cluster, endpoint: cluster.endpoint, dataDir, kubeconfig, token, caPem: cluster.pki.ca.certPem, awsEndpoint: keks.aws.endpoint.url,
    async stop(o = {}) {
      await keks.stop();
      if (!o.keepData && !opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
