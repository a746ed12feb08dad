/**
 * Top self-time functions of a V8 CPU profile (`node --cpu-prof` output), for finding hot
 * spots in the keks child of a benchmark:
 *
 *   node dist/bench/lib/cpuprofile-top.js FILE.cpuprofile [N]
 *
 * Prints self time per function (name, file:line) as % of all non-idle samples, and the
 * inclusive share of keks's own source directories (src/apiserver, src/storage, …).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface HotSpot {
  fn: string;
  where: string;
  selfPct: number;
  selfMs: number;
}

function shortUrl(url: string): string {
  const i = url.indexOf('/dist/');
  if (i >= 0) return url.slice(i + 6);
  const n = url.indexOf('/node_modules/');
  if (n >= 0) return url.slice(n + 1);
  return url.replace(/^node:/, 'node:');
}

export function topSelf(p: Profile, n = 30): { hot: HotSpot[]; totalMs: number; idleMs: number; byDir: Array<[string, number]> } {
  const byId = new Map<number, ProfileNode>();
  for (const node of p.nodes) byId.set(node.id, node);
  const parent = new Map<number, number>();
  for (const node of p.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const selfUs = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) selfUs.set(p.samples[i], (selfUs.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
  let total = 0; let idle = 0;
  const agg = new Map<string, HotSpot>();
  const dirUs = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const cf = byId.get(id)?.callFrame;
    if (!cf) continue;
    if (cf.functionName === '(idle)') { idle += us; continue; }
    total += us;
    const where = cf.url ? `${shortUrl(cf.url)}:${cf.lineNumber + 1}` : '';
    const key = `${cf.functionName}@${where}`;
    const h = agg.get(key) ?? { fn: cf.functionName || '(anonymous)', where, selfPct: 0, selfMs: 0 };
    h.selfMs += us / 1000;
    agg.set(key, h);
    // Inclusive time per keks source dir: count each dir once per sample stack.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const url = byId.get(cur)?.callFrame.url ?? '';
      const m = /\/dist\/(src\/[^/]+(?:\/[^/]+)?)\//.exec(url);
      if (m && !seen.has(m[1])) { seen.add(m[1]); dirUs.set(m[1], (dirUs.get(m[1]) ?? 0) + us); }
    }
  }
  const hot = [...agg.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, n);
  for (const h of hot) h.selfPct = (100 * h.selfMs * 1000) / total;
  const byDir = [...dirUs.entries()].map(([d, us]): [string, number] => [d, (100 * us) / total]).sort((a, b) => b[1] - a[1]);
  return { hot, totalMs: total / 1000, idleMs: idle / 1000, byDir };
}

if (process.argv[1]?.endsWith('cpuprofile-top.js')) {
  const file = process.argv[2];
  if (!file) { console.error('usage: cpuprofile-top.js FILE.cpuprofile [N]'); process.exit(2); }
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const { hot, totalMs, idleMs, byDir } = topSelf(p, Number(process.argv[3] ?? 30));
  console.log(`busy ${totalMs.toFixed(0)} ms, idle ${idleMs.toFixed(0)} ms`);
  console.log('| self % | self ms | function | where |\n|---:|---:|---|---|');
  for (const h of hot) console.log(`| ${h.selfPct.toFixed(1)} | ${h.selfMs.toFixed(0)} | ${h.fn} | ${h.where} |`);
  console.log('\ninclusive % by keks dir:');
  for (const [d, pct] of byDir.slice(0, 20)) console.log(`  ${pct.toFixed(1)}%  ${d}`);
}
