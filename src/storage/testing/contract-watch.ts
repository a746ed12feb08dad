/**
 * Watch part of the storage contract: ordering, no gaps, replay from a past revision, prefix
 * isolation and stop(). See contract.ts for how backends run it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KeyValue, Store, WatchEvent, WatchEventType } from '../interface.js';
import { withStore, type ContractHarness } from './contract.js';

export interface Collected {
  events: WatchEvent[];
  batches: number;
  error: Error | undefined;
  stop(): void;
}

/** Starts a watch that records everything it receives. */
export function collect(s: Store, prefix: string, afterRevision: number): Collected {
  const c: Collected = { events: [], batches: 0, error: undefined, stop: () => {} };
  const w = s.watch({
    prefix,
    afterRevision,
    onEvent: (events) => {
      c.batches++;
      c.events.push(...events);
    },
    onError: (err) => {
      c.error = err;
    },
  });
  c.stop = () => w.stop();
  return c;
}

/** Polls `cond` every 5 ms; fails with `what` after `ms`. */
export async function waitFor(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

interface Written { type: WatchEventType; kv: KeyValue; prevRev?: number }

/** A deterministic mix of creates, updates and deletes under prefix; returns them in revision order. */
async function writeMix(s: Store, prefix: string, n: number, parallel: number): Promise<Written[]> {
  const out: Written[] = [];
  const live = new Map<string, KeyValue>();
  let i = 0;
  while (i < n) {
    const batch: Promise<Written>[] = [];
    const used = new Set<string>();
    for (let j = 0; j < parallel && i < n; j++, i++) {
      const key = `${prefix}${i % 17}`;
      if (used.has(key)) continue;
      used.add(key);
      const cur = live.get(key);
      if (!cur) batch.push(s.create(key, `c${i}`).then((kv) => ({ type: 'create', kv })));
      else if (i % 5 === 0) batch.push(s.delete(key, cur.modRevision).then((kv) => ({ type: 'delete', kv, prevRev: cur.modRevision })));
      else batch.push(s.update(key, `u${i}`, cur.modRevision).then((kv) => ({ type: 'update', kv, prevRev: cur.modRevision })));
    }
    for (const w of await Promise.all(batch)) {
      if (w.type === 'delete') live.delete(w.kv.key);
      else live.set(w.kv.key, w.kv);
      out.push(w);
    }
  }
  return out.sort((a, b) => a.kv.modRevision - b.kv.modRevision);
}

function assertMatches(events: WatchEvent[], written: Written[]): void {
  assert.deepEqual(events.map((e) => e.kv.modRevision), written.map((w) => w.kv.modRevision), 'every revision, in order, no gaps');
  for (let i = 0; i < written.length; i++) {
    const e = events[i]!;
    const w = written[i]!;
    assert.equal(e.type, w.type, `event type at revision ${w.kv.modRevision}`);
    assert.deepEqual(e.kv, w.kv, `event kv at revision ${w.kv.modRevision}`);
    if (w.prevRev !== undefined && e.prev) assert.equal(e.prev.modRevision, w.prevRev);
  }
}

export function watchContract(h: ContractHarness): void {
  describe('watch', () => {
    it('delivers every event after now, in revision order, without gaps', () =>
      withStore(h, async (s) => {
        await s.create('/w/pre', 'before the watch');
        const c = collect(s, '/w/', 0);
        const other = collect(s, '/x/', 0);
        await s.create('/x/1', 'other prefix');
        const written = await writeMix(s, '/w/', 300, 8);
        const last = written[written.length - 1]!.kv.modRevision;
        await waitFor(() => (c.events.at(-1)?.kv.modRevision ?? 0) >= last || c.error !== undefined, 'the last event');
        assert.equal(c.error, undefined);
        assertMatches(c.events, written);
        const updates = c.events.filter((e) => e.type === 'update');
        assert.ok(updates.length > 0 && updates.every((e) => e.prev !== undefined), 'updates carry the previous value');
        const deletes = c.events.filter((e) => e.type === 'delete');
        assert.ok(deletes.length > 0);
        for (const d of deletes) assert.equal(d.prev?.value, d.kv.value, 'a delete carries the last value');
        await waitFor(() => other.events.length === 1, 'the other prefix event');
        assert.equal(other.events[0]!.kv.key, '/x/1');
        c.stop();
        other.stop();
      }));

    it('replays history from an old revision, then continues live', () =>
      withStore(h, async (s) => {
        await s.create('/pad', 'so that the watch start revision is not 0 (= from now)');
        const start = await s.currentRevision();
        const history = await writeMix(s, '/h/', 150, 4);
        const mid = history[60]!.kv.modRevision;
        const full = collect(s, '/h/', start);
        const fromMid = collect(s, '/h/', mid);
        const live = await writeMix(s, '/h/live/', 60, 3);
        const all = [...history, ...live];
        const last = all[all.length - 1]!.kv.modRevision;
        await waitFor(() => (full.events.at(-1)?.kv.modRevision ?? 0) >= last && (fromMid.events.at(-1)?.kv.modRevision ?? 0) >= last, 'replay and live events');
        assert.equal(full.error, undefined);
        assertMatches(full.events, all);
        assert.deepEqual(fromMid.events.map((e) => e.kv.modRevision), all.filter((w) => w.kv.modRevision > mid).map((w) => w.kv.modRevision));
        full.stop();
        fromMid.stop();
      }));

    it('stops delivering after stop()', () =>
      withStore(h, async (s) => {
        const c = collect(s, '/st/', 0);
        const first = await s.create('/st/a', '1');
        await waitFor(() => c.events.length === 1, 'the first event');
        c.stop();
        await s.update('/st/a', '2', first.modRevision);
        const probe = collect(s, '/st/', first.modRevision);
        await waitFor(() => probe.events.length === 1, 'a second watcher to see the update');
        assert.equal(c.events.length, 1);
        probe.stop();
      }));
  });
}
