/**
 * Runs keks as a separate child process for the benchmarks, so server and load generator CPU
 * are separate processes (both share the machine's cores). Two ways to start it:
 *  - `cli`: `node bin/keks.js start --port P --data-dir DIR --kubeconfig ''` — exactly what a
 *    user runs; clients authenticate with the admin client certificate from DIR's PKI.
 *  - `token`: dist/bench/lib/keks-child.js — the same startKeks with one extra bearer token.
 * Children are killed and temp dirs removed by stop(), and on any exit of the parent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CHILD_SCRIPT = fileURLToPath(new URL('./keks-child.js', import.meta.url));
const CLI_SCRIPT = join(REPO_ROOT, 'bin', 'keks.js');

export type BenchStore = 'sqlite' | 'memory';

/** What a load generator needs to reach and authenticate against the server. */
export interface Target {
  host: string;
  port: number;
  caPem: string;
  token?: string;
  certPem?: string;
  keyPem?: string;
}

export interface KeksProcessOptions {
  mode: 'cli' | 'token';
  store?: BenchStore;
  /** Reuse a data dir (warm start); default: a new temp dir, removed by stop(). */
  dataDir?: string;
  /** Fixed port (default: any free port, picked by the child). */
  port?: number;
  /** Write a V8 CPU profile of the child into this dir (node --cpu-prof). */
  cpuProfDir?: string;
  /** Extra node flags for the child. */
  nodeFlags?: string[];
  /** How long to wait for the endpoint line (ms). */
  startTimeoutMs?: number;
}

export interface KeksProcess {
  child: ChildProcess;
  pid: number;
  endpoint: string;
  dataDir: string;
  target: Target;
  /** Milliseconds from spawn until the endpoint line appeared on stdout. */
  bannerMs: number;
  stop(opts?: { keepData?: boolean }): Promise<void>;
}

const live = new Set<ChildProcess>();
const tempDirs = new Set<string>();
process.on('exit', () => {
  for (const c of live) { try { c.kill('SIGKILL'); } catch { /* already gone */ } }
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

/** A temp dir that is removed when the benchmark exits (whatever happens). */
export function benchTempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(d);
  return d;
}

export function removeTempDir(d: string): void {
  rmSync(d, { recursive: true, force: true });
  tempDirs.delete(d);
}

/** A free TCP port on 127.0.0.1 (bind to 0, read, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/** Spawns keks; the caller decides what "ready" means (see startup.bench.ts for /readyz polling). */
export function spawnKeks(o: KeksProcessOptions & { dataDir: string; token?: string }): ChildProcess {
  // KEKS_BENCH_NODE_FLAGS="--max-semi-space-size=4": A/B a V8 setting across a whole bench.
  const flags = [...(o.nodeFlags ?? []), ...(process.env.KEKS_BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean)];
  if (o.cpuProfDir) flags.push('--cpu-prof', '--cpu-prof-dir', o.cpuProfDir);
  // --aws-port 0: instances run side by side (startup's idle-RSS trio), so none may take 4566.
  const common = ['--data-dir', o.dataDir, '--port', String(o.port ?? 0), '--aws-port', '0', '--store', o.store ?? 'sqlite'];
  const args = o.mode === 'cli'
    ? [...flags, CLI_SCRIPT, 'start', ...common, '--kubeconfig', '']
    : [...flags, CHILD_SCRIPT, ...common];
  const env = { ...process.env, KEKS_BENCH_TOKEN: o.token ?? '', KEKS_LOG_LEVEL: 'info' };
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

export async function startKeksProcess(o: KeksProcessOptions): Promise<KeksProcess> {
  const ownDir = o.dataDir === undefined;
  const dataDir = o.dataDir ?? benchTempDir('keks-bench-');
  const token = o.mode === 'token' ? randomBytes(24).toString('hex') : undefined;
  const t0 = performance.now();
  const child = spawnKeks({ ...o, dataDir, token });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 4096) stderr += d.toString();
    if (process.env.BENCH_CHILD_STDERR) process.stderr.write(d); // debugging: show keks's logs
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`keks did not start within ${o.startTimeoutMs ?? 30000} ms: ${stderr}`)), o.startTimeoutMs ?? 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /cluster "[^"]+": (https:\/\/\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`keks exited with ${code}: ${stderr}`)); });
  });
  const bannerMs = performance.now() - t0;
  child.stdout?.resume();
  const url = new URL(endpoint);
  const pki = join(dataDir, 'clusters', 'keks', 'pki');
  const target: Target = { host: url.hostname, port: Number(url.port), caPem: readFileSync(join(pki, 'ca.crt'), 'utf8') };
  if (token) target.token = token;
  else { target.certPem = readFileSync(join(pki, 'admin.crt'), 'utf8'); target.keyPem = readFileSync(join(pki, 'admin.key'), 'utf8'); }
  return {
    child, pid: child.pid as number, endpoint, dataDir, target, bannerMs,
    async stop(s = {}) {
      await stopChild(child);
      if (ownDir && !s.keepData) removeTempDir(dataDir);
    },
  };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the child is gone. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(t);
}
