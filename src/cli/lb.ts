/**
 * `keks lb`: run beside a running keks (same KEKS_HOME), lists every emulated load balancer's
 * hostname → the local address its listener really serves on, from the files the load balancer
 * controllers write (`<KEKS_HOME>/load-balancers/<cluster>.json`). Files of a keks that is no
 * longer running (its pid is gone) are reported as stale and skipped.
 *
 *   keks lb [--home DIR] [-o wide|json]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultConfig } from '../config/config.js';

interface Listener { hostname: string; port: number; protocol: string; local: string; owner: string; type: string; loadBalancerName: string }
interface LbFile { cluster: string; pid?: number; listeners: Listener[] }

export const LB_USAGE = `Usage: keks lb [--home DIR] [-o wide|json]

Lists the emulated load balancers of a running keks (same KEKS_HOME): hostname → local address.
  curl -H 'Host: <hostname>' http://<local address>/
`;

function alive(pid: number | undefined): boolean {
  if (!pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('   ').trimEnd()).join('\n');
}

/** Reads the listener files of a data directory (stale ones are returned apart). */
export function readLoadBalancers(home: string): { files: LbFile[]; stale: string[] } {
  const dir = join(home, 'load-balancers');
  let names: string[] = [];
  try { names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort(); } catch { /* none yet */ }
  const files: LbFile[] = [];
  const stale: string[] = [];
  for (const n of names) {
    try {
      const f = JSON.parse(readFileSync(join(dir, n), 'utf8')) as LbFile;
      if (alive(f.pid)) files.push(f); else stale.push(f.cluster);
    } catch { /* a file being replaced: skip */ }
  }
  return { files, stale };
}

/** Runs `keks lb`; returns the exit code. */
export function lbCommand(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s)): number {
  let home = defaultConfig().dataDir;
  let output = '';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') { out(LB_USAGE); return 0; }
    else if (a === '--home' || a === '--data-dir') home = argv[++i] ?? home;
    else if (a.startsWith('--home=') || a.startsWith('--data-dir=')) home = a.slice(a.indexOf('=') + 1);
    else if (a === '-o' || a === '--output') output = argv[++i] ?? '';
    else if (a.startsWith('-o=') || a.startsWith('--output=')) output = a.slice(a.indexOf('=') + 1);
    else { out(`keks lb: unexpected argument "${a}"\n\n${LB_USAGE}`); return 2; }
  }
  const { files } = readLoadBalancers(home);
  const rows = files.flatMap((f) => f.listeners.map((l) => ({ cluster: f.cluster, ...l })));
  if (output === 'json') { out(`${JSON.stringify(rows, null, 2)}\n`); return 0; }
  if (rows.length === 0) { out(`No load balancers found in ${home} (is keks running with this KEKS_HOME?)\n`); return 0; }
  const wide = output === 'wide';
  const head = ['HOSTNAME', 'PORT', 'LOCAL ADDRESS', ...(wide ? ['TYPE', 'CLUSTER', 'NAME'] : []), 'OWNER'];
  const body = rows.map((r) => [r.hostname, `${r.port}/${r.protocol}`, r.local, ...(wide ? [r.type, r.cluster, r.loadBalancerName] : []), r.owner]);
  out(`${table([head, ...body])}\n`);
  return 0;
}
