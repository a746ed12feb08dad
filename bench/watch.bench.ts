/**
 * Watch fan-out benchmark: W watchers on one resource (ConfigMaps in one namespace, from the
 * current resourceVersion), a creator at R events/s (open loop), and for every (event, watcher)
 * the delay from the create's response, and from its request, to the event's arrival — the two
 * measures of /work/shared/tools/api-bench.mjs. keks runs as a separate child process; the
 * watchers are split over 2 worker processes (the client is itself a bottleneck at 1,000
 * watchers); the creator runs in this process. Times cross processes as epoch ms
 * (performance.timeOrigin + now()).
 *
 *   npm run bench watch
 *   node dist/bench/watch.bench.js [--quick] [--store sqlite|memory] [--payload 64] [--cpu-prof DIR]
 *     [--steps W:R:S,…] [--workers 2]
 *
 * Target (issue 2): 1,000 watchers, 1,000 events/s, every watcher gets every event, p99
 * commit→socket ≤ 10 ms. Steps: W=1000 at 100/s, then W=1000 at 1000/s (and W=100 at 1000/s).
 * Bounded: a few seconds of events per step plus at most 20 s drain each.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadavg } from 'node:os';
import { type BenchStore, startKeksProcess, type KeksProcess } from './lib/keks-process.js';
import { rawClient } from './lib/http-clients.js';
import { cmPath, configMapJson, makePayload } from './lib/load-job.js';
import { Admin } from './lib/admin.js';
import { histPercentile, merge, newHistogram } from './lib/histogram.js';
import { machineBusyS, machineNotes, sampleProc, waitForQuiet } from './lib/proc.js';
import { fmt, markdownTable, summarize } from './lib/stats.js';
import type { FromWatchWorker, ToWatchWorker, WatchWorkerResult } from './lib/watch-worker.js';

const argv = process.argv.slice(2);
const opt = (name: string, def: string): string => { const i = argv.indexOf(`--${name}`); return i >= 0 && argv[i + 1] ? argv[i + 1] : def; };
const quick = argv.includes('--quick');
const STORE = opt('store', 'sqlite') as BenchStore;
const PAYLOAD = makePayload(Number(opt('payload', '64')));
const WORKERS = Math.max(1, Number(opt('workers', '2')));
const CPU_PROF = opt('cpu-prof', '');
const DRAIN_MS = 20_000;
/** --steps 1000:100:5,100:1000:3 (watchers:events per s:seconds) overrides the defaults. */
const STEPS_FLAG = opt('steps', '');
const STEPS: Array<{ watchers: number; rate: number; seconds: number }> = STEPS_FLAG
  ? STEPS_FLAG.split(',').map((t) => { const [w, r, sec] = t.split(':').map(Number); return { watchers: w, rate: r, seconds: sec }; })
  : quick
  ? [{ watchers: 1000, rate: 100, seconds: 2 }, { watchers: 1000, rate: 1000, seconds: 1 }]
  : [{ watchers: 1000, rate: 100, seconds: 5 }, { watchers: 100, rate: 1000, seconds: 3 }, { watchers: 1000, rate: 1000, seconds: 3 }];
const WORKER_SCRIPT = fileURLToPath(new URL('./lib/watch-worker.js', import.meta.url));
const NS = 'bench-watch';
const nowEpoch = (): number => performance.timeOrigin + performance.now();

function ask(w: ChildProcess, m: ToWatchWorker, timeoutMs: number): Promise<FromWatchWorker> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => { done(); reject(new Error('watch worker timed out')); }, timeoutMs);
    const onMsg = (r: FromWatchWorker): void => { done(); if (r.type === 'failed') reject(new Error(r.error)); else resolve(r); };
    const done = (): void => { clearTimeout(t); w.off('message', onMsg); };
    w.on('message', onMsg);
    w.send(m);
  });
}

interface StepResult {
  watchers: number; rate: number; events: number; createdOk: number; achievedRate: number;
  opened: number; openWallS: number; expected: number; received: number; missed: number; closedEarly: number; duplicates: number;
  respP50: number; respP99: number; respMax: number; reqP50: number; reqP99: number; spreadP99: number; createP99: number;
  drainS: number; clientCpuCores: number; creatorCpuCores: number; serverCpuCores: number; serverSysShare: number; otherCpuCores: number;
  /** Server CPU µs per delivered (event, watcher) pair, creates included: the fan-out cost. */
  serverUsPerDelivery: number;
}

async function step(k: KeksProcess, admin: Admin, watchers: number, rate: number, seconds: number, run: string): Promise<StepResult> {
  const E = rate * seconds;
  const prefix = `w${watchers}-r${rate}-${run}-`;
  const rv = await admin.listRV(NS);
  const path = `${cmPath(NS)}?watch=1&resourceVersion=${rv}&timeoutSeconds=${seconds + 120}`;
  const ws = Array.from({ length: WORKERS }, () => fork(WORKER_SCRIPT, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  try {
    const share = Array.from({ length: WORKERS }, (_, i) => Math.floor(watchers / WORKERS) + (i < watchers % WORKERS ? 1 : 0));
    const opens = await Promise.all(ws.map((w, i) => ask(w, { type: 'open', target: k.target, path, watchers: share[i], events: E, prefix }, 60_000)));
    const opened = opens.reduce((a, o) => a + (o.type === 'opened' ? o.opened : 0), 0);
    const openWallS = Math.max(...opens.map((o) => (o.type === 'opened' ? o.openWallMs : 0))) / 1000;
    await sleep(300); // let the server register every watcher
    // Open-loop creator: R creates/s over up to 32 connections; late sends are skipped (counted as failed).
    const conns = 32;
    const c = rawClient(k.target, conns);
    await Promise.all(Array.from({ length: conns }, (_, i) => c.request(i, 'GET', `/api/v1/namespaces/${NS}`)));
    const free = Array.from({ length: conns }, (_, i) => i);
    const tReq = new Float64Array(E).fill(NaN); const tResp = new Float64Array(E).fill(NaN);
    const createMs: number[] = [];
    const inflight: Array<Promise<void>> = [];
    const srv0 = sampleProc(k.pid); const busy0 = machineBusyS(); const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < E; i++) {
      const due = t0 + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      const conn = free.pop();
      if (conn === undefined) continue;
      const body = configMapJson(`${prefix}${i}`, PAYLOAD);
      const ts = nowEpoch();
      tReq[i] = ts;
      inflight.push(c.request(conn, 'POST', cmPath(NS), body).then((r) => {
        free.push(conn);
        if (r.status === 201) { tResp[i] = nowEpoch(); createMs.push(tResp[i] - ts); }
      }));
    }
    await Promise.all(inflight);
    const createWall = (performance.now() - t0) / 1000;
    c.close();
    const results = await Promise.all(ws.map((w) => ask(w, { type: 'finish', tReq, tResp, waitMs: DRAIN_MS }, DRAIN_MS + 60_000)));
    const wall = (performance.now() - t0) / 1000;
    const srv1 = sampleProc(k.pid); const busy = machineBusyS() - busy0; const creatorCpu = process.cpuUsage(cpu0);
    const rs = results.map((r) => (r as { result: WatchWorkerResult }).result);
    const fromResp = newHistogram(); const fromReq = newHistogram();
    for (const r of rs) { merge(fromResp, r.fromResponse); merge(fromReq, r.fromRequest); }
    const spread: number[] = [];
    for (let i = 0; i < E; i++) {
      let lo = Infinity; let hi = -Infinity;
      for (const r of rs) { if (r.first[i] < lo) lo = r.first[i]; if (r.last[i] > hi) hi = r.last[i]; }
      if (hi >= lo) spread.push(hi - lo);
    }
    let createdOk = 0; for (let i = 0; i < E; i++) if (tResp[i] === tResp[i]) createdOk++;
    const clientCpu = rs.reduce((a, r) => a + r.cpuS, 0);
    const serverCpu = srv0 && srv1 ? srv1.cpuS - srv0.cpuS : NaN;
    const serverSys = srv0 && srv1 ? srv1.sysS - srv0.sysS : NaN;
    const creatorCpuS = (creatorCpu.user + creatorCpu.system) / 1e6;
    return {
      watchers, rate, events: E, createdOk, achievedRate: createdOk / createWall, opened, openWallS,
      expected: createdOk * watchers, received: rs.reduce((a, r) => a + r.received, 0), missed: rs.reduce((a, r) => a + r.missed, 0),
      closedEarly: rs.reduce((a, r) => a + r.closedEarly, 0), duplicates: rs.reduce((a, r) => a + r.duplicates, 0),
      respP50: histPercentile(fromResp, 50), respP99: histPercentile(fromResp, 99), respMax: fromResp.max,
      reqP50: histPercentile(fromReq, 50), reqP99: histPercentile(fromReq, 99), spreadP99: summarize(spread).p99, createP99: summarize(createMs).p99,
      drainS: wall - createWall, clientCpuCores: clientCpu / wall, creatorCpuCores: creatorCpuS / wall, serverCpuCores: serverCpu / wall, serverSysShare: serverSys / serverCpu, serverUsPerDelivery: (serverCpu * 1e6) / Math.max(1, rs.reduce((a, r) => a + r.received, 0)),
      otherCpuCores: Math.max(0, busy - serverCpu - clientCpu - creatorCpuS) / wall,
    };
  } finally {
    for (const w of ws) { if (w.connected) w.send({ type: 'close' }); setTimeout(() => w.kill('SIGKILL'), 2000).unref(); }
  }
}

async function main(): Promise<void> {
  const started = new Date();
  const notes = machineNotes();
  const k = await startKeksProcess({ mode: 'token', store: STORE, cpuProfDir: CPU_PROF || undefined });
  const admin = new Admin(k.target);
  const rows: StepResult[] = [];
  try {
    await admin.ensureNamespace(NS);
    const run = Date.now().toString(36);
    for (const s of STEPS) {
      const bg = await waitForQuiet(10_000);
      process.stderr.write(`  background load before W=${s.watchers} R=${s.rate}/s: ${bg.toFixed(2)} cores\n`);
      const r = await step(k, admin, s.watchers, s.rate, s.seconds, run);
      rows.push(r);
      process.stderr.write(`  W=${r.watchers} R=${r.rate}/s: delivered ${r.received}/${r.expected} missed ${r.missed} closed-early ${r.closedEarly}; ` +
        `resp→arrival p50 ${fmt(r.respP50)} p99 ${fmt(r.respP99)} max ${fmt(r.respMax)} ms; req→arrival p99 ${fmt(r.reqP99)} ms; ` +
        `client ${fmt(r.clientCpuCores)} creator ${fmt(r.creatorCpuCores)} server ${fmt(r.serverCpuCores)} (${fmt(100 * r.serverSysShare, 0)}% sys, ${fmt(r.serverUsPerDelivery)} µs/delivery) other ${fmt(r.otherCpuCores)} cores\n`);
      await sleep(500);
    }
  } finally {
    admin.close();
    await k.stop();
  }
  const t = markdownTable(
    ['watchers', 'target events/s', 'achieved creates/s', 'deliveries', 'missed', 'closed early', 'resp→arrival p50 / p99 / max ms',
      'req→arrival p50 / p99 ms', 'fan-out spread p99 ms', 'create p99 ms', 'drain s', 'watch clients CPU (cores)', 'creator CPU (cores)', 'server CPU (cores), % kernel', 'server µs per delivery', 'other CPU (cores)'],
    rows.map((r) => [String(r.watchers), String(r.rate), fmt(r.achievedRate), `${r.received.toLocaleString('en-US')} / ${r.expected.toLocaleString('en-US')}`,
      r.missed.toLocaleString('en-US'), String(r.closedEarly), `${fmt(r.respP50)} / ${fmt(r.respP99)} / ${fmt(r.respMax)}`, `${fmt(r.reqP50)} / ${fmt(r.reqP99)}`,
      fmt(r.spreadP99), fmt(r.createP99), fmt(r.drainS), fmt(r.clientCpuCores), fmt(r.creatorCpuCores), `${fmt(r.serverCpuCores)}, ${fmt(100 * r.serverSysShare, 0)}%`, fmt(r.serverUsPerDelivery), fmt(r.otherCpuCores)]),
  );
  console.log(`\n### Watch benchmark — ${started.toISOString()}\n\nCommand: \`node dist/bench/watch.bench.js ${argv.join(' ')}\`\n\n` +
    `Machine: ${notes}; loadavg(1m) at end ${loadavg()[0].toFixed(2)}. Store: ${STORE}; payload ${PAYLOAD.length} B per ConfigMap; ` +
    `watchers split over ${WORKERS} worker process(es); creator in the parent.\n\n${t}\n`);
}

main().then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1); });
