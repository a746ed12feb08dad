/**
 * A load-generator worker process (forked by load-pool.ts). Protocol: `prepare` (open and warm
 * the connections) → `prepared`; `go` → runs the job → `result`; `close` → exits. Reports its
 * own CPU time so the benchmark can show whether the client was the bottleneck.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeClient, type HttpClient, type HttpResult } from './http-clients.js';
import { cmPath, configMapJson, type FromWorker, type LoadJob, type LoadResult, type ToWorker } from './load-job.js';

let client: HttpClient | undefined;
let job: LoadJob | undefined;

function send(m: FromWorker): void {
  process.send?.(m);
}

function requestFor(j: LoadJob, i: number): [string, string, string | undefined] {
  switch (j.op) {
    case 'create': return ['POST', cmPath(j.namespace), configMapJson(`${j.namePrefix}-${i}`, j.payload ?? '')];
    case 'get': {
      const names = j.names ?? [];
      return ['GET', cmPath(j.namespace, names[(Math.random() * names.length) | 0]), undefined];
    }
    case 'list': return ['GET', cmPath(j.namespace) + (j.listQuery ?? ''), undefined];
  }
}

const expected = (j: LoadJob): number => (j.op === 'create' ? 201 : 200);

async function run(c: HttpClient, j: LoadJob): Promise<LoadResult> {
  const lat: number[] = [];
  let ok = 0; let errors = 0; let skipped = 0; let bytes = 0;
  const samples: string[] = [];
  const want = expected(j);
  const record = (r: HttpResult, ms: number): void => {
    if (r.status === want) { ok++; lat.push(ms); bytes += r.body.length; return; }
    errors++;
    if (samples.length < 3) samples.push(`${r.status} ${r.error ?? r.body.toString('utf8', 0, 200)}`);
  };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const deadline = j.durationMs !== undefined ? t0 + j.durationMs : Infinity;
  const count = j.count ?? Infinity;
  let next = 0;
  if (j.rate) {
    const free = Array.from({ length: j.concurrency }, (_, k) => k);
    const inflight: Array<Promise<void>> = [];
    for (let i = 0; i < count; i++) {
      const due = t0 + (i * 1000) / j.rate;
      if (due >= deadline) break;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      const conn = free.pop();
      if (conn === undefined) { skipped++; continue; }
      const [m, p, b] = requestFor(j, i);
      const ts = performance.now();
      inflight.push(c.request(conn, m, p, b).then((r) => { record(r, performance.now() - ts); free.push(conn); }));
    }
    await Promise.all(inflight);
  } else {
    await Promise.all(Array.from({ length: j.concurrency }, async (_, conn) => {
      for (;;) {
        if (next >= count || performance.now() >= deadline) return;
        const [m, p, b] = requestFor(j, next++);
        const ts = performance.now();
        record(await c.request(conn, m, p, b), performance.now() - ts);
      }
    }));
  }
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { lat: Float64Array.from(lat), ok, errors, skipped, errorSamples: samples, wallS, cpuS: (cpu.user + cpu.system) / 1e6, bytes };
}

process.on('message', (msg: ToWorker) => {
  void (async () => {
    try {
      if (msg.type === 'prepare') {
        client?.close();
        job = msg.job;
        client = makeClient(job.client, msg.target, job.concurrency);
        const c = client;
        // Open (TLS handshake) and warm every connection before timing starts.
        await Promise.all(Array.from({ length: job.concurrency }, (_, k) => c.request(k, 'GET', `/api/v1/namespaces/${job?.namespace ?? 'default'}`)));
        send({ type: 'prepared' });
      } else if (msg.type === 'go') {
        if (!client || !job) throw new Error('go before prepare');
        send({ type: 'result', result: await run(client, job) });
      } else if (msg.type === 'close') {
        client?.close();
        process.exit(0);
      }
    } catch (e) {
      send({ type: 'failed', error: e instanceof Error ? e.stack ?? e.message : String(e) });
    }
  })();
});
process.on('disconnect', () => process.exit(0));
