/**
 * Per-kind validation of built-in kinds (pkg/apis/<group>/validation), merged into each kind's
 * strategy by registry/kinds. Returns only the hooks a kind defines.
 */
import type { Strategy } from '../strategy.js';

export type KindValidators = Partial<Pick<Strategy, 'validate' | 'validateUpdate' | 'validateStatusUpdate' | 'warnings'>>;

export function validatorsFor(_group: string, _resource: string): KindValidators {
  return {};
}
