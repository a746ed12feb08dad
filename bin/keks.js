#!/usr/bin/env node
// Thin launcher: the CLI is compiled TypeScript (`npm ci` runs the build through `prepare`),
// bundled into dist/bundle/ (scripts/bundle.mjs: one module graph instead of ~280 files, ~130 ms
// less start-up); the unbundled dist/src/ is the fallback when only `tsc` has run.
import { existsSync } from 'node:fs';
import v8 from 'node:v8';

// Start-up runs with V8's young generation held small; `keks start` releases it once it serves
// (src/cli/young-generation.ts explains why: idle RSS).
v8.setFlagsFromString('--semi-space-growth-factor=1');
const bundled = new URL('../dist/bundle/main.js', import.meta.url);
const entry = existsSync(bundled) ? bundled.href : '../dist/src/cli/main.js';
import(entry).then((m) => m.main(process.argv.slice(2))).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
