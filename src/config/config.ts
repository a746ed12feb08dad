/**
 * keks configuration: typed, with explicit defaults, validated in one place. Sources, in order
 * of precedence: command-line flags, environment (KEKS_HOME, KEKS_PORT, KEKS_STORE,
 * KEKS_ETCD_ENDPOINTS, KEKS_LOG_LEVEL, KUBECONFIG, KEKS_AWS_PORT, KEKS_AWS_ACCOUNT,
 * KEKS_AWS_ACCESS_KEY_ID, KEKS_AWS_SECRET_ACCESS_KEY), defaults.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export type StoreKind = 'sqlite' | 'memory' | 'etcd';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface KeksConfig {
  /** Data directory (store, per-cluster PKI). */
  dataDir: string;
  /** Address the API servers listen on. */
  host: string;
  /** Port of the default cluster's API server (0 = any free port). */
  port: number;
  store: StoreKind;
  etcdEndpoints: string[];
  logLevel: LogLevel;
  /** Kubeconfig file to merge the cluster context into ('' = do not write one). */
  kubeconfig: string;
  /** Name of the cluster `keks start` creates (and of its kubeconfig context). */
  clusterName: string;
  /** AWS region the default cluster lives in (node names, topology labels). */
  region: string;
  /** Simulated nodes of the default cluster (0 = none); spread round-robin over `zones`. */
  nodes: number;
  /** Availability zones of the default cluster's nodes (default: <region>a, b, c). */
  zones: string[];
  /** EC2 instance type of the default cluster's nodes (simulator/instance-types.ts). */
  instanceType: string;
  /** Port of the AWS endpoint (0 = any free port). Default 4566, LocalStack's, so scripts written for it work. */
  awsPort: number;
  /** The account the root access key belongs to (12 digits). Default 000000000000 (LocalStack's convention). */
  awsAccountId: string;
  /** Access key id of the account root (default `test`). */
  awsAccessKeyId: string;
  /** Its secret (default `test`). Prefer KEKS_AWS_SECRET_ACCESS_KEY over the flag (argv is visible in ps). */
  awsSecretAccessKey: string;
  /**
   * AWS resource timing: 0 (default) = every EKS cluster, node group, add-on and Fargate profile is
   * ACTIVE by the next Describe; 1 = real EKS durations (a cluster takes ~10 minutes); 0.01 = 1/100.
   */
  timeScale: number;
}

export const STORE_KINDS: StoreKind[] = ['sqlite', 'memory', 'etcd'];
export const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export class ConfigError extends Error {}

export function defaultConfig(env: NodeJS.ProcessEnv = process.env): KeksConfig {
  const kubeconfigEnv = env.KUBECONFIG?.split(':').find((p) => p !== '');
  return {
    dataDir: env.KEKS_HOME || join(homedir(), '.keks'),
    host: '127.0.0.1',
    port: env.KEKS_PORT ? Number(env.KEKS_PORT) : 6443,
    store: (env.KEKS_STORE as StoreKind) || 'sqlite',
    etcdEndpoints: env.KEKS_ETCD_ENDPOINTS ? env.KEKS_ETCD_ENDPOINTS.split(',').filter(Boolean) : [],
    logLevel: (env.KEKS_LOG_LEVEL as LogLevel) || 'info',
    kubeconfig: kubeconfigEnv ?? join(homedir(), '.kube', 'config'),
    clusterName: 'keks',
    region: env.KEKS_REGION || env.AWS_REGION || 'us-east-1',
    nodes: 3,
    zones: [],
    instanceType: 't3.medium',
    awsPort: env.KEKS_AWS_PORT ? Number(env.KEKS_AWS_PORT) : 4566,
    awsAccountId: env.KEKS_AWS_ACCOUNT || '000000000000',
    awsAccessKeyId: env.KEKS_AWS_ACCESS_KEY_ID || 'test',
    awsSecretAccessKey: env.KEKS_AWS_SECRET_ACCESS_KEY || 'test',
    timeScale: env.KEKS_TIME_SCALE ? Number(env.KEKS_TIME_SCALE) : 0,
  };
}

export function validateConfig(c: KeksConfig): KeksConfig {
  if (!STORE_KINDS.includes(c.store)) throw new ConfigError(`--store must be one of ${STORE_KINDS.join(', ')} (got "${c.store}")`);
  if (!LOG_LEVELS.includes(c.logLevel)) throw new ConfigError(`--log-level must be one of ${LOG_LEVELS.join(', ')} (got "${c.logLevel}")`);
  if (!Number.isInteger(c.port) || c.port < 0 || c.port > 65535) throw new ConfigError(`--port must be a TCP port number (got "${c.port}")`);
  if (c.store === 'etcd' && c.etcdEndpoints.length === 0) throw new ConfigError('--store etcd needs --etcd-endpoints (e.g. http://127.0.0.1:2379)');
  for (const e of c.etcdEndpoints) {
    if (!/^https?:\/\/[^/]+$/.test(e)) throw new ConfigError(`--etcd-endpoints: "${e}" is not a URL like http://127.0.0.1:2379`);
  }
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(c.clusterName)) throw new ConfigError(`--cluster-name "${c.clusterName}" must be a DNS-1123 label`);
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(c.region)) throw new ConfigError(`--region "${c.region}" is not an AWS region name like us-east-1`);
  if (!Number.isInteger(c.nodes) || c.nodes < 0 || c.nodes > 10_000) throw new ConfigError(`--nodes must be a whole number from 0 to 10000 (got "${c.nodes}")`);
  for (const z of c.zones) {
    if (!/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/.test(z)) throw new ConfigError(`--zones: "${z}" is not an availability zone name like us-east-1a`);
  }
  if (!Number.isInteger(c.awsPort) || c.awsPort < 0 || c.awsPort > 65535) throw new ConfigError(`--aws-port must be a TCP port number (got "${c.awsPort}")`);
  if (c.awsPort !== 0 && c.awsPort === c.port) throw new ConfigError(`--aws-port and --port must differ (both ${c.port})`);
  if (!/^\d{12}$/.test(c.awsAccountId)) throw new ConfigError(`--aws-account must be a 12-digit AWS account id (got "${c.awsAccountId}")`);
  // Key ids appear in the SigV4 credential scope (AKID/date/region/service/aws4_request): no '/'.
  if (!/^[A-Za-z0-9]{1,128}$/.test(c.awsAccessKeyId)) throw new ConfigError(`--aws-access-key-id must be 1-128 letters or digits (got "${c.awsAccessKeyId}")`);
  if (!Number.isFinite(c.timeScale) || c.timeScale < 0 || c.timeScale > 10) throw new ConfigError(`--time-scale must be a number from 0 (instant) to 10 (got "${c.timeScale}")`);
  if (c.awsSecretAccessKey === '' || c.awsSecretAccessKey.length > 128 || /\s/.test(c.awsSecretAccessKey)) {
    throw new ConfigError('--aws-secret-access-key must be 1-128 characters without whitespace');
  }
  if (!/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(c.instanceType)) throw new ConfigError(`--instance-type "${c.instanceType}" is not an EC2 instance type like t3.medium`);
  return c;
}

/** The zones nodes go to: --zones, or the region's first three (a, b, c) as eksctl picks by default. */
export function effectiveZones(c: Pick<KeksConfig, 'region' | 'zones'>): string[] {
  return c.zones.length ? c.zones : ['a', 'b', 'c'].map((s) => `${c.region}${s}`);
}
