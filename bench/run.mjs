#!/usr/bin/env node
// `npm run bench [name...]`: runs the compiled benchmarks dist/bench/<name>.bench.js one after
// another (all of them without arguments). Each prints its own results; record them with the
// command line in docs/benchmarks.md.
import { readdirSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const dir = 'dist/bench';
const all = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.bench.js')).map((f) => f.replace(/\.bench\.js$/, '')).sort() : [];
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const flags = process.argv.slice(2).filter((a) => a.startsWith('-'));
const run = wanted.length ? wanted : all;
if (run.length === 0) { console.error('no benchmarks found in dist/bench'); process.exit(1); }
let failed = 0;
for (const name of run) {
  console.log(`\n## bench: ${name}`);
  const r = spawnSync(process.execPath, ['--expose-gc', `${dir}/${name}.bench.js`, ...flags], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
