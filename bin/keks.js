#!/usr/bin/env node
// Thin launcher: the CLI is compiled TypeScript (`npm ci` runs the build through `prepare`).
import v8 from 'node:v8';

// Start-up runs with V8's young generation held small; `keks start` releases it once it serves
// (src/cli/young-generation.ts explains why: idle RSS).
v8.setFlagsFromString('--semi-space-growth-factor=1');
import('../dist/src/cli/main.js').then((m) => m.main(process.argv.slice(2))).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
