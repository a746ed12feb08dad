/**
 * Store benchmark: sqlite (default backend) vs a real etcd (Debian etcd-server 3.4, started
 * here on 127.0.0.1 with a temp data dir), in one run, side by side. Both are durable on
 * acknowledge (sqlite: synchronous=FULL group commit; etcd: WAL fsync per raft batch).
 *
 *   npm run bench store            (builds, then runs dist/bench/store.bench.js)
 *   node dist/bench/store.bench.js --quick    (smaller counts)
 *
 * Measures: sequential and 16-way concurrent 1 KiB creates (writes/s, p50/p99 latency), a
 * ranged list of 10k keys (one range, and pages of 500), and watch fan-out (100 watchers,
 * 1000 events: delivery latency from write submission to each watcher, p50/p99). Prints a
 * markdown table with the sqlite/etcd ratio. Bounded: well under 2 minutes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { execFileSync } from 'node:child_process';
import { EtcdStore } from '../src/storage/etcd/etcd-store.js';
import type { Store } from '../src/storage/interface.js';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.js';
import { etcdBinary, startEtcd } from '../src/storage/testing/etcd-server.js';

const quick = process.argv.includes('--quick');
const SEQ = quick ? 500 : 2000;
const CONC_WORKERS = 16;
const CONC_PER_WORKER = quick ? 125 : 500; // SEQ + 16 * CONC_PER_WORKER = 10k keys for the list
const WATCHERS = 100;
const WATCH_EVENTS = quick ? 200 : 1000;
const VALUE = 'v'.repeat(1024);

interface Result {
  seqRate: number; seqP50: number; seqP99: number;
  concRate: number; concP50: number; concP99: number;
  listKeys: number; listMs: number; pagedMs: number;
  watchP50: number; watchP99: number; watchRate: number;
}

function pct(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

async function creates(s: Store, workers: number, perWorker: number, prefix: string): Promise<{ rate: number; p50: number; p99: number }> {
  const lat: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = 0; i < perWorker; i++) {
        const t = performance.now();
        await s.create(`${prefix}${String(w).padStart(2, '0')}-${String(i).padStart(6, '0')}`, VALUE);
        lat.push(performance.now() - t);
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  return { rate: (workers * perWorker) / secs, p50: pct(lat, 50), p99: pct(lat, 99) };
}

async function median(times: number, fn: () => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return ms.sort((a, b) => a - b)[Math.floor(times / 2)]!;
}

async function watchFanOut(s: Store): Promise<{ p50: number; p99: number; rate: number }> {
  const submitted = new Map<string, number>();
  const lat: number[] = [];
  let received = 0;
  const start = await s.currentRevision();
  const watches = Array.from({ length: WATCHERS }, () =>
    s.watch({
      prefix: '/bench/watch/',
      afterRevision: start,
      onEvent: (events) => {
        const now = performance.now();
        for (const e of events) lat.push(now - submitted.get(e.kv.key)!);
        received += events.length;
      },
      onError: (err) => console.error('watch error', err),
    }),
  );
  await new Promise((r) => setTimeout(r, 300)); // let etcd streams be created
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONC_WORKERS }, async () => {
      while (next < WATCH_EVENTS) {
        const key = `/bench/watch/${String(next++).padStart(6, '0')}`;
        submitted.set(key, performance.now());
        await s.create(key, VALUE);
      }
    }),
  );
  const deadline = Date.now() + 30_000;
  while (received < WATCHERS * WATCH_EVENTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  const secs = (performance.now() - t0) / 1000;
  for (const w of watches) w.stop();
  if (received < WATCHERS * WATCH_EVENTS) console.error(`watch: only ${received} of ${WATCHERS * WATCH_EVENTS} deliveries`);
  lat.sort((a, b) => a - b);
  return { p50: pct(lat, 50), p99: pct(lat, 99), rate: received / secs };
}

async function run(s: Store): Promise<Result> {
  const seq = await creates(s, 1, SEQ, '/bench/pods/seq-');
  const conc = await creates(s, CONC_WORKERS, CONC_PER_WORKER, '/bench/pods/conc-');
  const full = await s.list('/bench/pods/');
  const listMs = await median(5, () => s.list('/bench/pods/'));
  const pagedMs = await median(3, async () => {
    let startAfter: string | undefined;
    for (;;) {
      const page = await s.list('/bench/pods/', { limit: 500, revision: full.revision, ...(startAfter ? { startAfter } : {}) });
      if (!page.more) break;
      startAfter = page.items[page.items.length - 1]!.key;
    }
  });
  const watch = await watchFanOut(s);
  return {
    seqRate: seq.rate, seqP50: seq.p50, seqP99: seq.p99,
    concRate: conc.rate, concP50: conc.p50, concP99: conc.p99,
    listKeys: full.items.length, listMs, pagedMs,
    watchP50: watch.p50, watchP99: watch.p99, watchRate: watch.rate,
  };
}

function etcdVersion(): string {
  try {
    return execFileSync(etcdBinary()!, ['--version']).toString().split('\n')[0]!.trim();
  } catch {
    return 'etcd (version unknown)';
  }
}

async function main(): Promise<void> {
  if (!etcdBinary()) {
    console.error('store bench needs the etcd binary (apt-get install -y etcd-server, or set ETCD_BIN)');
    process.exit(1);
  }
  const dir = mkdtempSync(join(tmpdir(), 'keks-bench-store-'));
  const etcd = await startEtcd();
  const t0 = Date.now();
  try {
    const sqlite = new SqliteStore({ file: join(dir, 'bench.db'), compaction: false });
    const rs = await run(sqlite);
    await sqlite.close();
    const es = await EtcdStore.connect({ endpoints: [etcd.endpoint], prefix: '/keks-bench', compaction: false });
    const re = await run(es);
    await es.close();
    const f = (n: number, d = 0) => n.toFixed(d);
    const rows: [string, string, string, string][] = [
      ['sequential creates (writes/s)', f(rs.seqRate), f(re.seqRate), `${(rs.seqRate / re.seqRate).toFixed(2)}×`],
      ['sequential create p50 / p99 (ms)', `${f(rs.seqP50, 2)} / ${f(rs.seqP99, 2)}`, `${f(re.seqP50, 2)} / ${f(re.seqP99, 2)}`, ''],
      [`${CONC_WORKERS}-way concurrent creates (writes/s)`, f(rs.concRate), f(re.concRate), `${(rs.concRate / re.concRate).toFixed(2)}×`],
      [`${CONC_WORKERS}-way create p50 / p99 (ms)`, `${f(rs.concP50, 2)} / ${f(rs.concP99, 2)}`, `${f(re.concP50, 2)} / ${f(re.concP99, 2)}`, ''],
      [`list ${rs.listKeys} keys, one range (ms)`, f(rs.listMs, 1), f(re.listMs, 1), `${(re.listMs / rs.listMs).toFixed(2)}× faster`],
      [`list ${rs.listKeys} keys, pages of 500 at one revision (ms)`, f(rs.pagedMs, 1), f(re.pagedMs, 1), `${(re.pagedMs / rs.pagedMs).toFixed(2)}× faster`],
      [`watch fan-out ${WATCHERS}×${WATCH_EVENTS}: delivery p50 / p99 (ms)`, `${f(rs.watchP50, 2)} / ${f(rs.watchP99, 2)}`, `${f(re.watchP50, 2)} / ${f(re.watchP99, 2)}`, ''],
      ['watch fan-out: deliveries/s', f(rs.watchRate), f(re.watchRate), `${(rs.watchRate / re.watchRate).toFixed(2)}×`],
    ];
    console.log(`\nnode ${process.version}, ${etcdVersion()}, ${cpus().length} CPU (${cpus()[0]?.model ?? '?'}), 1 KiB values, both durable on ack${quick ? ', --quick' : ''}\n`);
    console.log('| metric | sqlite | etcd | sqlite/etcd |');
    console.log('|---|---:|---:|---:|');
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
    console.log(`\n(total ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } finally {
    await etcd.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
