/**
 * Test access to a keks: an in-process one (the harness) with a token client, and `keks start`
 * as a child process (bin/keks.js, which runs the compiled dist/) for restart and SIGKILL tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { TestKeks } from '../../src/testing/harness.js';
import { ApiClient } from './api.js';

/** A token-authenticated (system:masters) raw client for a harness keks. */
export function tokenClient(tk: TestKeks): ApiClient {
  return new ApiClient({ endpoint: tk.endpoint, caPem: tk.caPem, auth: { kind: 'token', token: tk.token } });
}

/** The repository root, from this file's location in test/helpers or dist/test/helpers. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'keks') return dir;
    } catch { /* keep climbing */ }
    dir = dirname(dir);
  }
  throw new Error('package.json of keks not found above test/helpers');
}

export interface KeksProcess {
  child: ChildProcess;
  endpoint: string;
  port: number;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or 128+signal number style `null` → -1) once the process is gone. */
  exited: Promise<number>;
}

/** Admin client-certificate credentials read back from a kubeconfig keks wrote. */
export function adminFromKubeconfig(path: string): { caPem: string; certPem: string; keyPem: string; server: string } {
  const kc = parseYaml(readFileSync(path, 'utf8')) as {
    clusters: Array<{ name: string; cluster: { server: string; 'certificate-authority-data': string } }>;
    users: Array<{ name: string; user: { 'client-certificate-data': string; 'client-key-data': string } }>;
  };
  const b64 = (s: string): string => Buffer.from(s, 'base64').toString('utf8');
  const c = kc.clusters[kc.clusters.length - 1].cluster;
  const u = kc.users[kc.users.length - 1].user;
  return { server: c.server, caPem: b64(c['certificate-authority-data']), certPem: b64(u['client-certificate-data']), keyPem: b64(u['client-key-data']) };
}

/**
 * Spawns `node bin/keks.js start --store sqlite --data-dir <dir> --port <port> --kubeconfig <kc>` and
 * waits (bounded) for its banner line `cluster "keks": https://…`.
 */
export async function startKeksProcess(o: { dataDir: string; kubeconfig: string; port?: number; timeoutMs?: number }): Promise<KeksProcess> {
  const root = repoRoot();
  const args = [join(root, 'bin', 'keks.js'), 'start', '--store', 'sqlite', '--data-dir', o.dataDir, '--port', String(o.port ?? 0), '--kubeconfig', o.kubeconfig, '--log-level', 'error'];
  const env = { ...process.env };
  delete env.KUBECONFIG;
  delete env.KEKS_HOME;
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => { out += d; });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { err += d; });
  const exited = new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : 1))));
  const deadline = Date.now() + (o.timeoutMs ?? 20_000);
  let endpoint = '';
  let dead = false;
  void exited.then(() => { dead = true; });
  while (!endpoint) {
    const m = /cluster "keks": (https:\/\/[^\s]+)/.exec(out);
    if (m) { endpoint = m[1]; break; }
    if (dead) throw new Error(`keks exited before its banner\nstdout:\n${out}\nstderr:\n${err}`);
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error(`keks did not print its banner in time\nstdout:\n${out}\nstderr:\n${err}`); }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { child, endpoint, port: Number(new URL(endpoint).port), stdout: () => out, stderr: () => err, exited };
}

/** Whether something accepts TCP connections on 127.0.0.1:port right now. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
    s.setTimeout(2000, () => { s.destroy(); resolve(false); });
  });
}

/** Waits for the exit code, bounded; SIGKILLs and fails if the process overstays. */
export async function exitWithin(p: KeksProcess, ms: number): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((r) => { timer = setTimeout(() => r('timeout'), ms); });
  const res = await Promise.race([p.exited, timeout]);
  clearTimeout(timer);
  if (res === 'timeout') {
    p.child.kill('SIGKILL');
    throw new Error(`keks did not exit within ${ms} ms\nstderr:\n${p.stderr()}`);
  }
  return res;
}
