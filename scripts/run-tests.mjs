#!/usr/bin/env node
// Runs the compiled test files with node's built-in test runner.
//   node scripts/run-tests.mjs [unit|integration|e2e|all] [extra node --test flags]
// Tiers: unit = dist/src/**/*.test.js, integration = dist/test/integration, e2e = dist/test/e2e.
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const tiers = { unit: 'dist/src', integration: 'dist/test/integration', e2e: 'dist/test/e2e' };
const arg = process.argv[2] && !process.argv[2].startsWith('-') ? process.argv[2] : 'all';
const extra = process.argv.slice(arg === process.argv[2] ? 3 : 2);
const roots = arg === 'all' ? Object.values(tiers) : [tiers[arg] ?? arg];

function walk(dir, out) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const files = roots.flatMap((r) => (statSync(r, { throwIfNoEntry: false })?.isFile() ? [r] : walk(r, []))).sort();
if (files.length === 0) {
  console.error(`no test files under ${roots.join(', ')} (did the build run?)`);
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...extra, ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
