/**
 * A watch-client worker process (forked by watch.bench.ts): holds a share of the watchers, each
 * one HTTPS watch (node:https, keep-alive agent, one socket per watch, like api-bench.mjs), and
 * records when every ADDED event arrives. Events are newline-delimited JSON; type and name are
 * found by string search, as api-bench.mjs does, to keep the client cheap.
 * Protocol: `open` → `opened`; `finish` (with the creator's send/response times) → waits for
 * the missing deliveries (bounded) → `result` (delay histograms, per-event first/last arrival).
 */
import https from 'node:https';
import type { ClientRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Target } from './keks-process.js';
import { newHistogram, record, type HistogramData } from './histogram.js';

export interface WatchOpen {
  type: 'open';
  target: Target;
  path: string;
  watchers: number;
  events: number;
  prefix: string;
}
export interface WatchFinish {
  type: 'finish';
  /** Epoch ms (timeOrigin + now) when create i was sent / answered; NaN when it failed. */
  tReq: Float64Array;
  tResp: Float64Array;
  waitMs: number;
}
export type ToWatchWorker = WatchOpen | WatchFinish | { type: 'close' };

export interface WatchWorkerResult {
  opened: number;
  openWallMs: number;
  received: number;
  missed: number;
  duplicates: number;
  closedEarly: number;
  errorEvents: number;
  cpuS: number;
  fromResponse: HistogramData;
  fromRequest: HistogramData;
  /** Per event: first and last arrival (epoch ms) over this worker's watchers. */
  first: Float64Array;
  last: Float64Array;
}
export type FromWatchWorker = { type: 'opened'; opened: number; openWallMs: number } | { type: 'result'; result: WatchWorkerResult } | { type: 'failed'; error: string };

const now = (): number => performance.timeOrigin + performance.now();

let arrivals = new Float64Array(0);
let E = 0;
let received = 0; let duplicates = 0; let closedEarly = 0; let errorEvents = 0; let opened = 0; let openWallMs = 0;
let finished = false;
let cpu0 = process.cpuUsage();
const reqs: ClientRequest[] = [];
let agent: https.Agent | undefined;

function onLine(w: number, line: string, t: number, prefix: string): void {
  const ti = line.indexOf('"type":"');
  const type = ti >= 0 ? line.slice(ti + 8, line.indexOf('"', ti + 8)) : 'BAD';
  if (type !== 'ADDED') { if (type === 'ERROR' || type === 'BAD') errorEvents++; return; }
  const ni = line.indexOf('"name":"');
  const name = ni >= 0 ? line.slice(ni + 8, line.indexOf('"', ni + 8)) : '';
  if (!name.startsWith(prefix)) return;
  const i = Number(name.slice(prefix.length));
  if (!(i >= 0 && i < E)) return;
  const k = w * E + i;
  if (arrivals[k] === arrivals[k]) { duplicates++; return; }
  arrivals[k] = t;
  received++;
}

async function open(m: WatchOpen): Promise<void> {
  E = m.events;
  arrivals = new Float64Array(m.watchers * E).fill(NaN);
  agent = new https.Agent({ keepAlive: true, maxSockets: m.watchers + 8, ca: m.target.caPem });
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (m.target.token) headers.Authorization = `Bearer ${m.target.token}`;
  const one = (w: number): Promise<boolean> => new Promise((resolve) => {
    let buf = '';
    const req = https.request({ host: m.target.host, port: m.target.port, path: m.path, headers, agent, ca: m.target.caPem, cert: m.target.certPem, key: m.target.keyPem }, (res) => {
      if (res.statusCode !== 200) { res.resume(); resolve(false); return; }
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const t = now();
        buf += chunk;
        let idx;
        while ((idx = buf.indexOf('\n')) >= 0) { onLine(w, buf.slice(0, idx), t, m.prefix); buf = buf.slice(idx + 1); }
      });
      res.on('end', () => { if (!finished) closedEarly++; });
      res.on('error', () => { if (!finished) closedEarly++; });
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.end();
    reqs.push(req);
  });
  const t0 = performance.now();
  for (let b = 0; b < m.watchers; b += 50) {
    const batch: Array<Promise<boolean>> = [];
    for (let w = b; w < Math.min(m.watchers, b + 50); w++) batch.push(one(w));
    for (const ok of await Promise.all(batch)) if (ok) opened++;
  }
  openWallMs = performance.now() - t0;
  cpu0 = process.cpuUsage();
}

async function finish(m: WatchFinish): Promise<WatchWorkerResult> {
  let expected = 0;
  for (let i = 0; i < E; i++) if (m.tResp[i] === m.tResp[i]) expected++;
  expected *= opened;
  const until = performance.now() + m.waitMs;
  while (received < expected && performance.now() < until) await sleep(20);
  finished = true;
  const cpu = process.cpuUsage(cpu0);
  for (const r of reqs) r.destroy();
  agent?.destroy();
  const fromResponse = newHistogram(); const fromRequest = newHistogram();
  const first = new Float64Array(E).fill(NaN); const last = new Float64Array(E).fill(NaN);
  let missed = 0;
  const W = arrivals.length / Math.max(1, E);
  for (let i = 0; i < E; i++) {
    if (m.tResp[i] !== m.tResp[i]) continue;
    for (let w = 0; w < W; w++) {
      const a = arrivals[w * E + i];
      if (a !== a) { missed++; continue; } // includes watchers that never opened
      record(fromResponse, a - m.tResp[i]);
      record(fromRequest, a - m.tReq[i]);
      if (!(a >= first[i])) first[i] = a;
      if (!(a <= last[i])) last[i] = a;
    }
  }
  return { opened, openWallMs, received, missed, duplicates, closedEarly, errorEvents, cpuS: (cpu.user + cpu.system) / 1e6, fromResponse, fromRequest, first, last };
}

process.on('message', (msg: ToWatchWorker) => {
  void (async () => {
    try {
      if (msg.type === 'open') { await open(msg); process.send?.({ type: 'opened', opened, openWallMs } satisfies FromWatchWorker); }
      else if (msg.type === 'finish') process.send?.({ type: 'result', result: await finish(msg) } satisfies FromWatchWorker);
      else process.exit(0);
    } catch (e) {
      process.send?.({ type: 'failed', error: e instanceof Error ? e.stack ?? e.message : String(e) } satisfies FromWatchWorker);
    }
  })();
});
process.on('disconnect', () => process.exit(0));
