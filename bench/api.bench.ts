/**
 * API-server benchmark: ConfigMap create / get / list over HTTPS with keep-alive, against keks
 * running as a separate child process (sqlite store, then memory store), load from 1–2 forked
 * worker processes so client and server CPU are measured apart.
 *
 *   npm run bench api                          (builds, then runs dist/bench/api.bench.js)
 *   node dist/bench/api.bench.js --quick       (smaller counts, ~40 s)
 *   flags: --stores sqlite,memory  --workers 2  --client node|raw|both  --cpu-prof DIR  --only get,create
 *
 * Phases per store (payload 1 KiB, like /work/shared/tools/api-bench.mjs):
 *   create c=1, create c=32 (closed loop), get c=1 / c=32 (random among 100 objects),
 *   list c=1 / c=32 (one page of 500 from a namespace with ≥ 5,000 objects),
 *   steady: 100 creates/s + 100 GETs/s open loop, single-object p99 of both.
 * Clients: `node` = node:https keep-alive Agent; `raw` = hand-written HTTP/1.1 over TLS sockets
 * (a cheaper client, to show how much of the saturation limit is the client).
 * Targets (issue 2): ≥ 5,000 creates/s, ≥ 15,000 GETs/s at saturation; p99 ≤ 10 ms at 100 writes/s.
 * Every phase is bounded (counts or seconds); before each, it waits for a quiet machine (≤ 5 s,
 * ≤ 30 s in all). Children and temp dirs are removed at the end.
 */
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { type BenchStore, startKeksProcess, type KeksProcess } from './lib/keks-process.js';
import { LoadPool, type MergedResult } from './lib/load-pool.js';
import type { ClientKind } from './lib/http-clients.js';
import { makePayload, type LoadJob } from './lib/load-job.js';
import { sampleProc, machineNotes, machineBusyS, waitForQuiet } from './lib/proc.js';
import { summarize, markdownTable, fmt } from './lib/stats.js';
import { Admin } from './lib/admin.js';

const argv = process.argv.slice(2);
const opt = (name: string, def: string): string => { const i = argv.indexOf(`--${name}`); return i >= 0 && argv[i + 1] ? argv[i + 1] : def; };
const quick = argv.includes('--quick');
const STORES = opt('stores', 'sqlite,memory').split(',') as BenchStore[];
const WORKERS = Math.max(1, Number(opt('workers', '2')));
const CLIENTS = opt('client', 'both') === 'both' ? (['node', 'raw'] as ClientKind[]) : [opt('client', 'node') as ClientKind];
const CPU_PROF = opt('cpu-prof', '');
/** --only create,get: run only phases whose name starts with one of these words. */
const ONLY = opt('only', '').split(',').filter(Boolean);
/** Total time the phases may spend waiting for a quiet machine. */
let quietBudgetMs = 30_000;
const wanted = (name: string): boolean => ONLY.length === 0 || ONLY.some((w) => name.startsWith(w));
const PAYLOAD = makePayload(1024);
const NS = 'bench';
const SIZES = quick
  ? { c1Creates: 500, c32Creates: 3000, getS: 2, listS: 2, steadyS: 5 }
  : { c1Creates: 1500, c32Creates: 6000, getS: 4, listS: 3, steadyS: 10 };

interface Row {
  phase: string;
  client: ClientKind;
  r: MergedResult;
  serverCpuS: number;
  /** CPU seconds of everything else on the machine during the phase (other processes). */
  otherCpuS: number;
}

/** Splits `total` concurrency/count over `n` workers. */
function split(total: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.floor(total / n) + (i < total % n ? 1 : 0)).filter((x) => x > 0);
}

async function phase(k: KeksProcess, pool: LoadPool, name: string, client: ClientKind, jobs: LoadJob[]): Promise<Row | undefined> {
  if (!wanted(name)) return undefined;
  // The machine is shared: wait for a quiet moment, within a total budget so the bench stays bounded.
  const w0 = Date.now();
  await waitForQuiet(Math.min(5_000, quietBudgetMs));
  quietBudgetMs = Math.max(0, quietBudgetMs - (Date.now() - w0));
  const before = sampleProc(k.pid);
  const busy0 = machineBusyS();
  const r = await pool.run(k.target, jobs);
  const busy = machineBusyS() - busy0;
  const after = sampleProc(k.pid);
  const serverCpuS = before && after ? after.cpuS - before.cpuS : NaN;
  const otherCpuS = Math.max(0, busy - serverCpuS - r.clientCpuS);
  const s = summarize(r.lat);
  process.stderr.write(`  ${name} [${client}]: ${fmt(r.rps)} req/s p50 ${fmt(s.p50)} p99 ${fmt(s.p99)} ms errors ${r.errors}` +
    ` client ${fmt(r.clientCpuS / r.wallS)} cores server ${fmt(serverCpuS / r.wallS)} cores other ${fmt(otherCpuS / r.wallS)} cores${r.errorSamples.length ? ` ${r.errorSamples[0]}` : ''}\n`);
  return { phase: name, client, r, serverCpuS, otherCpuS };
}

async function benchStore(store: BenchStore, pool: LoadPool): Promise<{ rows: Row[]; rssKb: number }> {
  const k = await startKeksProcess({ mode: 'token', store, cpuProfDir: CPU_PROF ? `${CPU_PROF}/${store}` : undefined });
  process.stderr.write(`keks (${store}) pid ${k.pid} at ${k.endpoint}\n`);
  const rows: Row[] = [];
  const push = (r: Row | undefined): void => { if (r) rows.push(r); };
  const admin = new Admin(k.target);
  try {
    await admin.ensureNamespace(NS);
    const getNames = Array.from({ length: 100 }, (_, i) => `get-${i}`);
    await admin.ensureConfigMaps(NS, getNames, PAYLOAD);
    const base = { namespace: NS, payload: PAYLOAD };
    const run = `${Date.now().toString(36)}`;
    for (const client of CLIENTS) {
      const c32 = split(32, WORKERS);
      if (client === CLIENTS[0]) {
        push(await phase(k, pool, 'create c=1', client, [{ ...base, op: 'create', client, concurrency: 1, count: SIZES.c1Creates, namePrefix: `c1-${client}-${run}` }]));
      }
      const counts = split(SIZES.c32Creates, c32.length);
      push(await phase(k, pool, 'create c=32', client, c32.map((c, i) => ({ ...base, op: 'create', client, concurrency: c, count: counts[i], namePrefix: `c32-${client}-${run}-w${i}` }))));
      if (client === CLIENTS[0]) {
        push(await phase(k, pool, 'get c=1', client, [{ ...base, op: 'get', client, concurrency: 1, durationMs: SIZES.getS * 1000, names: getNames }]));
      }
      push(await phase(k, pool, 'get c=32', client, c32.map((c) => ({ ...base, op: 'get', client, concurrency: c, durationMs: SIZES.getS * 1000, names: getNames }))));
      if (client === CLIENTS[0]) {
        push(await phase(k, pool, 'list 500 c=1', client, [{ ...base, op: 'list', client, concurrency: 1, durationMs: SIZES.listS * 1000, listQuery: '?limit=500' }]));
        push(await phase(k, pool, 'list 500 c=32', client, c32.map((c) => ({ ...base, op: 'list', client, concurrency: c, durationMs: SIZES.listS * 1000, listQuery: '?limit=500' }))));
        // Steady load: 100 creates/s and 100 GETs/s, open loop, in separate workers when possible.
        const steady: LoadJob[] = [
          { ...base, op: 'create', client, concurrency: 8, rate: 100, durationMs: SIZES.steadyS * 1000, namePrefix: `steady-${run}` },
          { ...base, op: 'get', client, concurrency: 8, rate: 100, durationMs: SIZES.steadyS * 1000, names: getNames },
        ];
        if (!wanted('steady')) { /* skipped by --only */ } else if (pool.size >= 2) {
          const before = sampleProc(k.pid);
          const busy0 = machineBusyS();
          const t0 = performance.now();
          const [w, g] = await Promise.all([pool.run(k.target, [steady[0]]), pool.run(k.target, [steady[1]], { from: 1 })]);
          const after = sampleProc(k.pid);
          const busy = machineBusyS() - busy0;
          const cpu = before && after ? after.cpuS - before.cpuS : NaN;
          const scale = w.wallS / ((performance.now() - t0) / 1000);
          const other = Math.max(0, busy - cpu - w.clientCpuS - g.clientCpuS);
          rows.push({ phase: 'steady 100 creates/s', client, r: w, serverCpuS: cpu * scale, otherCpuS: other * scale });
          rows.push({ phase: 'steady 100 GETs/s (alongside)', client, r: g, serverCpuS: NaN, otherCpuS: NaN });
          for (const [n, r] of [['creates', w], ['gets', g]] as const) {
            const s = summarize(r.lat);
            process.stderr.write(`  steady ${n}: ${fmt(r.rps)}/s p50 ${fmt(s.p50)} p99 ${fmt(s.p99)} max ${fmt(s.max)} ms errors ${r.errors} skipped ${r.skipped}\n`);
          }
        } else {
          push(await phase(k, pool, 'steady 100 creates/s', client, [steady[0]]));
        }
      }
    }
    const rss = sampleProc(k.pid)?.rssKb ?? NaN;
    return { rows, rssKb: rss };
  } finally {
    admin.close();
    await k.stop();
  }
}

function table(rows: Row[]): string {
  return markdownTable(
    ['phase', 'client', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'errors', 'client CPU (cores)', 'server CPU (cores)', 'other CPU (cores)'],
    rows.map(({ phase: p, client, r, serverCpuS, otherCpuS }) => {
      const s = summarize(r.lat);
      return [p, client, fmt(r.rps), fmt(s.p50), fmt(s.p99), fmt(s.max), String(r.errors + r.skipped), fmt(r.clientCpuS / r.wallS), fmt(serverCpuS / r.wallS), fmt(otherCpuS / r.wallS)];
    }),
  );
}

async function main(): Promise<void> {
  const started = new Date();
  const notes = machineNotes();
  const pool = LoadPool.start(WORKERS);
  const out: string[] = [];
  try {
    for (const store of STORES) {
      const { rows, rssKb } = await benchStore(store, pool);
      out.push(`\n#### store: ${store} (keks RSS after the run: ${fmt(rssKb / 1024)} MB)\n\n${table(rows)}`);
      const best = (p: string): number => Math.max(...rows.filter((r) => r.phase === p).map((r) => r.r.rps));
      const steady = rows.find((r) => r.phase === 'steady 100 creates/s');
      const steadyGet = rows.find((r) => r.phase.startsWith('steady 100 GETs'));
      const steadyP99 = steady ? summarize(steady.r.lat).p99 : NaN;
      const steadyGetP99 = steadyGet ? summarize(steadyGet.r.lat).p99 : NaN;
      out.push(`\nTargets (${store}): creates/s at c=32 ${fmt(best('create c=32'))} (≥ 5,000: ${best('create c=32') >= 5000 ? 'met' : 'NOT met'}); ` +
        `GETs/s at c=32 ${fmt(best('get c=32'))} (≥ 15,000: ${best('get c=32') >= 15000 ? 'met' : 'NOT met'}); ` +
        `p99 at 100 writes/s: create ${fmt(steadyP99)} ms, get ${fmt(steadyGetP99)} ms (≤ 10 ms: ${Math.max(steadyP99, steadyGetP99) <= 10 ? 'met' : 'NOT met'}).`);
    }
  } finally {
    pool.close();
  }
  console.log(`\n### API benchmark — ${started.toISOString()}\n\nCommand: \`node dist/bench/api.bench.js ${argv.join(' ')}\`` +
    `\n\nMachine: ${notes}; loadavg(1m) at end ${loadavg()[0].toFixed(2)}; load workers: ${WORKERS} process(es)\n${out.join('\n')}\n`);
}

main().then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1); });
