#!/usr/bin/env node
// Thin launcher: the CLI is compiled TypeScript (`npm ci` runs the build through `prepare`).
import('../dist/src/cli/main.js').then((m) => m.main(process.argv.slice(2))).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
