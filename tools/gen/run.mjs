#!/usr/bin/env node
// `npm run gen`: runs every generator tools/gen/*.mjs (except this file), one process each, in
// name order. Helpers of a generator live in a sub-folder (tools/gen/<name>/) so they are not run.
// Generators read the reference data in ../shared (beside the repository); it does not exist on a
// user's machine, so without it we print why and exit 0, leaving the committed output as it is.
import { existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const SHARED = resolve(ROOT, '../shared');
const SELF = basename(fileURLToPath(import.meta.url));

if (!existsSync(SHARED)) {
  console.log(`gen: skipped: ${SHARED} is absent (the generators read its reference data; the committed output is kept)`);
  process.exit(0);
}

const generators = readdirSync(HERE).filter((f) => f.endsWith('.mjs') && f !== SELF).sort();
let failed = 0;
for (const g of generators) {
  console.log(`gen: ${g}`);
  const r = spawnSync(process.execPath, [join(HERE, g)], { cwd: ROOT, stdio: 'inherit', timeout: 300_000 });
  if (r.status !== 0) {
    failed++;
    console.error(`gen: ${g} failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`})`);
  }
}
process.exit(failed ? 1 : 0);
