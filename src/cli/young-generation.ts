/**
 * V8 grows the young generation (new space) to its 32 MB maximum under start-up's burst of
 * allocation (module loading, bootstrap writes) and keeps it while keks idles: about a quarter
 * of the idle RSS. So `bin/keks.js` starts keks with new-space growth held (semi-space growth
 * factor 1, set before anything is imported), and `releaseYoungGeneration` restores V8's default
 * factor of 2 once keks is up: real load still grows new space for throughput, an idle keks stays
 * small. Measured (see docs/benchmarks.md, start-up): idle VmRSS 116 → 87 MB with start-up time
 * unchanged; `--max-semi-space-size=4` gives a similar idle figure but costs ~20 % of create
 * throughput under load. setFlagsFromString after start-up is allowed for this flag: V8 reads it
 * each time it grows new space (Heap::new_space()->Grow()).
 */
import v8 from 'node:v8';

/** V8's default (--semi-space-growth-factor). */
const DEFAULT_GROWTH_FACTOR = 2;

export function releaseYoungGeneration(): void {
  v8.setFlagsFromString(`--semi-space-growth-factor=${DEFAULT_GROWTH_FACTOR}`);
}
