// Bundles the compiled CLI (dist/src/cli/main.js) into dist/bundle/ for `bin/keks.js`.
//
// Why: Node 20's ESM loader costs ≈ 0.2–0.25 ms per module file on the reference VM before any
// code runs; the ≈ 280 compiled modules in front of /readyz cost more than everything keks does
// to start (docs/benchmarks.md, Startup). esbuild with code splitting keeps the lazy `import()`s
// as separate chunks, so what loads on first use still does. Packages stay external (resolved
// from node_modules at run time: better-sqlite3 is a native addon). The modules find their data
// files by walking up from import.meta.url to the package root, which dist/bundle/ is under too.
// Tests import dist/src/ directly; the bundle is what `keks` runs.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bundle');
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [join(root, 'dist', 'src', 'cli', 'main.js')],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
