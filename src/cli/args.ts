/** argv → configuration for `keks start|up`. No logic beyond parsing. */
import { INSTANCE_TYPES } from '../simulator/instance-types.js';
import { type KeksConfig, ConfigError, defaultConfig, validateConfig, type LogLevel, type StoreKind } from '../config/config.js';

export const USAGE = `keks: Amazon EKS on one machine

Usage:
  keks start [flags]     start keks with its default cluster (alias: up)
  keks lb [--home DIR] [-o wide|json]
                         beside a running keks: load balancer hostnames → their local 127.0.0.1 addresses
  keks help              this text

Flags:
  --data-dir DIR         where keks keeps its data (default $KEKS_HOME or ~/.keks)
  --port N               port of the default cluster's API server (default 6443; 0 = any)
  --store KIND           sqlite (default) | memory | etcd
  --etcd-endpoints URLS  comma-separated etcd client URLs (with --store etcd)
  --kubeconfig FILE      kubeconfig to merge the "keks" context into (default $KUBECONFIG or ~/.kube/config;
                         "" to write none)
  --cluster-name NAME    name of the default cluster and its context (default keks)
  --region REGION        AWS region of the default cluster (default $KEKS_REGION, $AWS_REGION or us-east-1)
  --nodes N              simulated nodes in the default cluster (default 3; 0 = none)
  --zones Z1,Z2,...      availability zones the nodes are spread over (default <region>a,b,c)
  --instance-type TYPE   EC2 instance type of the nodes (default t3.medium; see docs/simulator.md)
  --log-level LEVEL      fatal|error|warn|info|debug|trace|silent (default info)
  --aws-port N           port of the AWS endpoint (default $KEKS_AWS_PORT or 4566; 0 = any)
  --aws-account ID       12-digit account of the root access key (default $KEKS_AWS_ACCOUNT or 000000000000)
  --aws-access-key-id K  root access key id (default $KEKS_AWS_ACCESS_KEY_ID or test)
  --time-scale X          EKS/ELB timing: 0 = instant (default, $KEKS_TIME_SCALE), 1 = real durations, 0.01 = 1/100
  --realistic-timing     the same as --time-scale 1 (a cluster takes minutes to become ACTIVE, as on AWS)
  --aws-secret-access-key S
                         its secret (default $KEKS_AWS_SECRET_ACCESS_KEY or test; prefer the variable)
`;

export interface ParsedArgs {
  command: 'start' | 'help' | 'version';
  config: KeksConfig;
}

const FLAGS = new Set(['data-dir', 'port', 'store', 'etcd-endpoints', 'log-level', 'kubeconfig', 'cluster-name', 'host', 'region', 'nodes', 'zones', 'instance-type',
  'aws-port', 'aws-account', 'aws-access-key-id', 'aws-secret-access-key', 'time-scale']);

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ParsedArgs {
  const c = defaultConfig(env);
  let command: ParsedArgs['command'] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') { command = 'help'; continue; }
    if (a === '--version') { command = 'version'; continue; }
    if (a === '--realistic-timing') { c.timeScale = 1; continue; }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      if (!FLAGS.has(name)) throw new ConfigError(`unknown flag --${name}\n\n${USAGE}`);
      const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new ConfigError(`flag --${name} needs a value`);
      switch (name) {
        case 'data-dir': c.dataDir = value; break;
        case 'port': c.port = Number(value); break;
        case 'store': c.store = value as StoreKind; break;
        case 'etcd-endpoints': c.etcdEndpoints = value.split(',').map((s) => s.trim()).filter(Boolean); break;
        case 'log-level': c.logLevel = value as LogLevel; break;
        case 'kubeconfig': c.kubeconfig = value; break;
        case 'cluster-name': c.clusterName = value; break;
        case 'host': c.host = value; break;
        case 'region': c.region = value; break;
        case 'nodes': c.nodes = Number(value); break;
        case 'zones': c.zones = value.split(',').map((s) => s.trim()).filter(Boolean); break;
        case 'instance-type': c.instanceType = value; break;
        case 'aws-port': c.awsPort = value.trim() === '' ? NaN : Number(value); break;
        case 'aws-account': c.awsAccountId = value; break;
        case 'aws-access-key-id': c.awsAccessKeyId = value; break;
        case 'aws-secret-access-key': c.awsSecretAccessKey = value; break;
        case 'time-scale': c.timeScale = value.trim() === '' ? NaN : Number(value); break;
      }
      continue;
    }
    if (command !== undefined) throw new ConfigError(`unexpected argument "${a}"\n\n${USAGE}`);
    if (a === 'start' || a === 'up') command = 'start';
    else if (a === 'help') command = 'help';
    else throw new ConfigError(`unknown command "${a}"\n\n${USAGE}`);
  }
  if (!INSTANCE_TYPES.has(c.instanceType)) throw new ConfigError(`--instance-type "${c.instanceType}" is not simulated (known: ${[...INSTANCE_TYPES.keys()].join(', ')})`);
  return { command: command ?? 'start', config: validateConfig(c) };
}
