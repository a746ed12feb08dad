/**
 * The `yaml` module, loaded on first use: most requests are JSON, and importing it eagerly costs
 * ~22 ms of the 300 ms start-up budget. Types come from the module itself.
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

const requireCjs = createRequire(import.meta.url);
let mod: typeof Yaml | undefined;

export function yaml(): typeof Yaml {
  return (mod ??= requireCjs('yaml') as typeof Yaml);
}
