/**
 * Injected time (DESIGN.md convention 6): production code asks a Clock, tests pass a FakeClock
 * and step it instead of sleeping.
 */

export interface Timer { cancel(): void }

export interface Clock {
  now(): number;
  /** Calls fn once after ms (of this clock's time). */
  setTimeout(fn: () => void, ms: number): Timer;
  /** Calls fn every ms until cancelled. */
  setInterval(fn: () => void, ms: number): Timer;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  },
  setInterval(fn, ms) {
    const t = setInterval(fn, ms);
    t.unref?.();
    return { cancel: () => clearInterval(t) };
  },
};

interface Pending { at: number; fn: () => void; every: number; id: number; cancelled: boolean }

/** A clock that only moves when told to. `step(ms)` runs due timers in time order. */
export class FakeClock implements Clock {
  private t: number;
  private seq = 0;
  private timers: Pending[] = [];

  constructor(start = Date.UTC(2025, 0, 1)) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): Timer {
    return this.add(fn, ms, 0);
  }

  setInterval(fn: () => void, ms: number): Timer {
    return this.add(fn, ms, Math.max(1, ms));
  }

  /** Advance time by ms, firing every timer that falls due, in order. */
  step(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((p) => !p.cancelled && p.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.t = Math.max(this.t, due.at);
      if (due.every > 0) due.at += due.every;
      else due.cancelled = true;
      due.fn();
    }
    this.t = end;
    this.timers = this.timers.filter((p) => !p.cancelled);
  }

  private add(fn: () => void, ms: number, every: number): Timer {
    const p: Pending = { at: this.t + Math.max(0, ms), fn, every, id: this.seq++, cancelled: false };
    this.timers.push(p);
    return { cancel: () => { p.cancelled = true; } };
  }
}
