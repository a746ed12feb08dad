/**
 * Startup benchmark of `keks start` (the real CLI: `node bin/keks.js start --port P --data-dir
 * DIR --kubeconfig ''`, sqlite store, default cluster):
 *  - ready time: from spawn to the first 200 on https://127.0.0.1:P/readyz, polled every 10 ms
 *    (anonymous access; new connection per poll, certificate not checked since a fresh start
 *    has no CA yet), on a fresh data dir (first start generates the PKI) and on a warm one
 *    (second and later starts), reported separately;
 *  - idle RSS: VmRSS from /proc at 10, 20 and 30 s after ready (max reported), fresh and warm,
 *    plus the memory store for reference.
 *
 *   npm run bench startup
 *   node dist/bench/startup.bench.js [--quick] [--runs 5]
 *
 * Targets (issue 2): ready ≤ 300 ms after spawn; idle RSS ≤ 100 MB. Bounded (< 1 min):
 * children are stopped with SIGTERM (SIGKILL after 10 s), temp dirs removed.
 */
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { benchTempDir, freePort, removeTempDir, spawnKeks, stopChild, type BenchStore } from './lib/keks-process.js';
import { machineNotes, sampleProc, waitForQuiet } from './lib/proc.js';
import { fmt, markdownTable, summarize } from './lib/stats.js';
import type { ChildProcess } from 'node:child_process';

const argv = process.argv.slice(2);
const opt = (name: string, def: string): string => { const i = argv.indexOf(`--${name}`); return i >= 0 && argv[i + 1] ? argv[i + 1] : def; };
const quick = argv.includes('--quick');
const RUNS = Number(opt('runs', quick ? '3' : '5'));
const RSS_AT_S = quick ? [10] : [10, 20, 30];
const POLL_MS = 10;
const READY_TIMEOUT_MS = 15_000;

/** One GET /readyz on a new connection: the status, or 0 when nothing answers yet. */
function readyz(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = https.get({ host: '127.0.0.1', port, path: '/readyz', rejectUnauthorized: false, agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

interface Start {
  child: ChildProcess;
  port: number;
  readyMs: number;
  /** Polls answered before the 200 (503 while bootstrapping, 0 = refused). */
  polls: number;
  saw503: boolean;
}

/** Spawns `keks start` and polls /readyz every 10 ms until the first 200. */
async function startAndWait(dataDir: string, store: BenchStore = 'sqlite'): Promise<Start> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawnKeks({ mode: 'cli', store, dataDir, port });
  child.stdout?.resume();
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { if (stderr.length < 2000) stderr += d.toString(); });
  let polls = 0; let saw503 = false;
  for (;;) {
    const tick = performance.now();
    const code = await readyz(port);
    if (code === 200) return { child, port, readyMs: performance.now() - t0, polls, saw503 };
    polls++;
    if (code === 503) saw503 = true;
    if (child.exitCode !== null) throw new Error(`keks exited with ${child.exitCode}: ${stderr}`);
    if (performance.now() - t0 > READY_TIMEOUT_MS) { await stopChild(child); throw new Error(`not ready within ${READY_TIMEOUT_MS} ms: ${stderr}`); }
    const wait = POLL_MS - (performance.now() - tick);
    if (wait > 0) await sleep(wait);
  }
}

async function readyTimes(kind: 'fresh' | 'warm'): Promise<number[]> {
  const ms: number[] = [];
  const warmDir = kind === 'warm' ? benchTempDir('keks-startup-warm-') : '';
  if (warmDir) { const s = await startAndWait(warmDir); await stopChild(s.child); } // the first start makes the PKI
  for (let i = 0; i < RUNS; i++) {
    await waitForQuiet(5_000);
    const dir = warmDir || benchTempDir('keks-startup-fresh-');
    const s = await startAndWait(dir);
    ms.push(s.readyMs);
    await stopChild(s.child);
    if (!warmDir) removeTempDir(dir);
    process.stderr.write(`  ${kind} start ${i + 1}: ready after ${fmt(s.readyMs)} ms (${s.polls} polls before, 503 seen: ${s.saw503})\n`);
  }
  if (warmDir) removeTempDir(warmDir);
  return ms;
}

async function idleRss(): Promise<Array<{ name: string; samples: number[] }>> {
  const warmDir = benchTempDir('keks-rss-warm-');
  const first = await startAndWait(warmDir);
  await stopChild(first.child);
  const starts: Array<{ name: string; s: Start }> = [];
  try {
    starts.push({ name: 'sqlite, warm data dir', s: await startAndWait(warmDir) });
    starts.push({ name: 'sqlite, fresh data dir', s: await startAndWait(benchTempDir('keks-rss-fresh-')) });
    starts.push({ name: 'memory store, fresh data dir', s: await startAndWait(benchTempDir('keks-rss-mem-'), 'memory') });
    const t0 = performance.now();
    const out = starts.map(({ name }) => ({ name, samples: [] as number[] }));
    for (const at of RSS_AT_S) {
      await sleep(Math.max(0, at * 1000 - (performance.now() - t0)));
      starts.forEach(({ s }, i) => out[i].samples.push((sampleProc(s.child.pid as number)?.rssKb ?? NaN) / 1024));
    }
    return out;
  } finally {
    for (const { s } of starts) await stopChild(s.child);
  }
}

async function main(): Promise<void> {
  const started = new Date();
  const notes = machineNotes();
  const fresh = await readyTimes('fresh');
  const warm = await readyTimes('warm');
  const rss = await idleRss();
  const row = (name: string, xs: number[]): string[] => { const s = summarize(xs); return [name, String(xs.length), fmt(Math.min(...xs)), fmt(s.p50), fmt(s.max), s.max <= 300 ? 'met' : 'NOT met']; };
  const t1 = markdownTable(['start', 'runs', 'min ms', 'median ms', 'max ms', '≤ 300 ms'], [row('fresh data dir (generates the PKI)', fresh), row('warm data dir', warm)]);
  const t2 = markdownTable(['instance', ...RSS_AT_S.map((s) => `VmRSS at ${s} s (MB)`), 'max MB', '≤ 100 MB'],
    rss.map(({ name, samples }) => [name, ...samples.map((x) => fmt(x, 1)), fmt(Math.max(...samples), 1), Math.max(...samples) <= 100 ? 'met' : 'NOT met']));
  console.log(`\n### Startup benchmark — ${started.toISOString()}\n\nCommand: \`node dist/bench/startup.bench.js ${argv.join(' ')}\`\n\nMachine: ${notes}\n\n` +
    `Ready time: spawn of \`node bin/keks.js start --port P --data-dir DIR --kubeconfig ''\` → first 200 on /readyz (polled every ${POLL_MS} ms, new connection per poll).\n\n${t1}\n\n` +
    `Idle RSS after ready (three instances idle side by side):\n\n${t2}\n`);
}

main().then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1); });
