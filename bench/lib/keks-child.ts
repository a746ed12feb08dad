/**
 * Benchmark child process: keks exactly as `keks start` runs it (same config defaults, same
 * logger, same startKeks), plus one static bearer token read from KEKS_BENCH_TOKEN, so raw
 * HTTP load generators (and /work/shared/tools/api-bench.mjs --token) can authenticate without
 * client certificates. The CLI has no token flag; this is the only difference from it.
 *
 *   KEKS_BENCH_TOKEN=… node dist/bench/lib/keks-child.js --store sqlite --data-dir DIR [--port N]
 *
 * Prints the CLI's endpoint line (`cluster "keks": https://127.0.0.1:PORT`) once ready and
 * stops gracefully on SIGTERM/SIGINT (so `node --cpu-prof` can write its profile).
 * KEKS_BENCH_NODES / KEKS_BENCH_INSTANCE_TYPE set the default cluster's simulated nodes (--nodes,
 * --instance-type of the CLI).
 */
import { startKeks } from '../../src/main.js';
import { defaultConfig, validateConfig, type StoreKind } from '../../src/config/config.js';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const token = process.env.KEKS_BENCH_TOKEN ?? '';
  if (!token) throw new Error('KEKS_BENCH_TOKEN is not set');
  const config = validateConfig({
    ...defaultConfig({}),
    dataDir: flag('data-dir', ''),
    store: flag('store', 'sqlite') as StoreKind,
    port: Number(flag('port', '0')),
    awsPort: Number(flag('aws-port', '0')),
    kubeconfig: '',
    // scale.bench.ts: the default cluster's simulated-node shape (unset = the CLI's default).
    ...(process.env.KEKS_BENCH_NODES ? { nodes: Number(process.env.KEKS_BENCH_NODES) } : {}),
    ...(process.env.KEKS_BENCH_INSTANCE_TYPE ? { instanceType: process.env.KEKS_BENCH_INSTANCE_TYPE } : {}),
  });
  if (!config.dataDir) throw new Error('--data-dir is required');
  const keks = await startKeks(config, {
    tokens: new Map([[token, { username: 'bench-admin', groups: ['system:masters', 'system:authenticated'] }]]),
  });
  process.stdout.write(`  cluster "${keks.clusters[0].name}": ${keks.clusters[0].endpoint}\n`);
  let stopping = false;
  const onSignal = (): void => {
    if (stopping) process.exit(130);
    stopping = true;
    keks.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

main().catch((e: unknown) => {
  process.stderr.write(`keks-child: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
