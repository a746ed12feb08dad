/**
 * Running the real `kubectl` (the dispatcher on PATH, which runs the client matching the server's
 * /version) against a keks in tests. Every run gets a fresh `--cache-dir` (kubectl's discovery
 * cache lives ~6 h and would otherwise leak between runs), the harness kubeconfig, a private HOME,
 * an environment without the user's KUBECONFIG/KUBECACHEDIR, and a bounded timeout.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlRunOptions {
  /** Written to stdin (e.g. `apply -f -`). */
  input?: string;
  /** Extra environment (e.g. EDITOR). */
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** True when a `kubectl` is on PATH (e2e files skip otherwise). */
export const haveKubectl: boolean = spawnSync('kubectl', ['version', '--client', '-o', 'json'], { timeout: 20_000 }).status === 0;

export const kubectlSkip: string | false = haveKubectl ? false : 'kubectl not on PATH';

/** A running `kubectl get -w` (or any long-running kubectl): its output so far and a way to wait on it. */
export class KubectlStream {
  stdout = '';
  stderr = '';
  exitCode: number | null = null;
  private readonly waiters: Array<() => void> = [];
  private readonly exited: Promise<void>;

  constructor(private readonly child: ChildProcessWithoutNullStreams, private readonly cleanup: () => void) {
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => { this.stdout += d; this.wake(); });
    child.stderr.on('data', (d: string) => { this.stderr += d; this.wake(); });
    this.exited = new Promise((resolve) => child.on('close', (code, signal) => {
      this.exitCode = code ?? (signal ? 128 : 1);
      this.cleanup();
      this.wake();
      resolve();
    }));
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Non-empty stdout lines so far. */
  get lines(): string[] {
    return this.stdout.split('\n').filter((l) => l.trim() !== '');
  }

  /** Resolves once `pred(stdout)` holds; rejects after timeoutMs (with the output so far) or on exit. */
  async waitFor(pred: (stdout: string) => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred(this.stdout)) {
      if (this.exitCode !== null) throw new Error(`kubectl exited (${this.exitCode}) before ${what}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(t); resolve(); });
      });
    }
  }

  /** SIGTERM, then wait (bounded) for the process to go. */
  async stop(): Promise<void> {
    if (this.exitCode === null) this.child.kill('SIGTERM');
    const t = setTimeout(() => { if (this.exitCode === null) this.child.kill('SIGKILL'); }, 3000);
    await this.exited;
    clearTimeout(t);
  }
}

export class Kubectl {
  private readonly home: string;

  constructor(private readonly kubeconfig: string) {
    this.home = mkdtempSync(join(tmpdir(), 'keks-kubectl-home-'));
  }

  private env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: this.home, ...extra };
    delete env.KUBECONFIG;
    delete env.KUBECACHEDIR;
    return env;
  }

  private argv(args: string[]): { argv: string[]; cacheDir: string } {
    const cacheDir = mkdtempSync(join(tmpdir(), 'keks-kubectl-cache-'));
    return { argv: ['--kubeconfig', this.kubeconfig, '--cache-dir', cacheDir, ...args], cacheDir };
  }

  /** Runs kubectl to completion (killed after timeoutMs, default 30 s). Never rejects on a non-zero exit. */
  run(args: string[], opts: KubectlRunOptions = {}): Promise<KubectlResult> {
    const { argv, cacheDir } = this.argv(args);
    return new Promise((resolve, reject) => {
      const child = spawn('kubectl', argv, { env: this.env(opts.env), stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
      child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
      const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
      child.on('error', (e) => { clearTimeout(timer); rmSync(cacheDir, { recursive: true, force: true }); reject(e); });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        rmSync(cacheDir, { recursive: true, force: true });
        if (signal === 'SIGKILL') stderr += `\n[killed after ${opts.timeoutMs ?? 30_000} ms: kubectl ${args.join(' ')}]`;
        resolve({ code: code ?? 128, stdout, stderr });
      });
      child.stdin.end(opts.input ?? '');
    });
  }

  /** Runs kubectl and fails (with its stderr) unless it exits 0; returns stdout. */
  async ok(args: string[], opts: KubectlRunOptions = {}): Promise<string> {
    const r = await this.run(args, opts);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
    return r.stdout;
  }

  /** Runs kubectl and fails unless it exits non-zero; returns the result (for asserting the error text). */
  async fails(args: string[], opts: KubectlRunOptions = {}): Promise<KubectlResult> {
    const r = await this.run(args, opts);
    if (r.code === 0) throw new Error(`kubectl ${args.join(' ')} unexpectedly succeeded\nstdout:\n${r.stdout}`);
    return r;
  }

  /** Starts a long-running kubectl (e.g. `get -w`). Call stop() when done. */
  spawn(args: string[]): KubectlStream {
    const { argv, cacheDir } = this.argv(args);
    const child = spawn('kubectl', argv, { env: this.env(), stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.end();
    return new KubectlStream(child, () => rmSync(cacheDir, { recursive: true, force: true }));
  }

  /** Removes the private HOME. */
  dispose(): void {
    rmSync(this.home, { recursive: true, force: true });
  }
}

/** Splits `kubectl get` table output into rows of whitespace-separated cells (header row first). */
export function tableRows(stdout: string): string[][] {
  return stdout.split('\n').filter((l) => l.trim() !== '').map((l) => l.trim().split(/\s+/));
}

/** The row whose first cell is `name` (or whose second cell is, with a NAMESPACE column first). */
export function rowOf(stdout: string, name: string, col = 0): string[] | undefined {
  return tableRows(stdout).find((r) => r[col] === name);
}
