/**
 * Resource use of local processes from /proc (Linux): resident set size (VmRSS) and CPU seconds
 * (utime + stime), as the anchor client's --pids sampling reads them.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat on Linux. */
const CLOCK_TICKS = 100;

export interface ProcSample {
  rssKb: number;
  cpuS: number;
  /** Of cpuS: kernel time (syscalls; on loopback TCP this includes the receiver's network stack). */
  sysS: number;
}

/** VmRSS and CPU seconds of `pid`, or null when the process is gone. */
export function sampleProc(pid: number): ProcSample | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { rssKb: rss, cpuS: (Number(f[11]) + Number(f[12])) / CLOCK_TICKS, sysS: Number(f[12]) / CLOCK_TICKS };
  } catch {
    return null;
  }
}

/** One line describing the machine, for the "machine notes" of docs/benchmarks.md. */
export function machineNotes(): string {
  const c = cpus();
  return `${c.length} × ${c[0]?.model.trim() ?? 'cpu'}, Node ${process.version}, loadavg(1m) at start ${loadavg()[0].toFixed(2)}`;
}

/** Busy CPU seconds of the whole machine so far (all cores; /proc/stat minus idle and iowait). */
export function machineBusyS(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    return (total - f[3] - f[4]) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/**
 * Waits (at most `maxWaitMs`) until the machine is quiet: less than `maxCores` cores busy over
 * half a second. Returns the background load last seen, in cores, for the machine notes. The
 * machine is shared, so numbers taken under background load are noted, not hidden.
 */
export async function waitForQuiet(maxWaitMs = 30_000, maxCores = 0.3): Promise<number> {
  const until = Date.now() + maxWaitMs;
  const windowMs = 500;
  let cores = NaN;
  for (;;) {
    const b0 = machineBusyS();
    await new Promise((r) => setTimeout(r, windowMs));
    cores = (machineBusyS() - b0) / (windowMs / 1000);
    if (cores < maxCores || Date.now() >= until) return cores;
  }
}
