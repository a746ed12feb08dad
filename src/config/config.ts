/**
 * keks configuration: typed, with explicit defaults, validated in one place. Sources, in order
 * of precedence: command-line flags, environment (KEKS_HOME, KEKS_PORT, KEKS_STORE,
 * KEKS_ETCD_ENDPOINTS, KEKS_LOG_LEVEL, KUBECONFIG), defaults.
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
  return c;
}
