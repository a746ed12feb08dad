/**
 * The strategy every kind starts from; kinds override only what they rule differently.
 * With a status subresource, the main resource ignores status changes and the status
 * subresource ignores everything else (as each upstream *StatusStrategy does).
 */
import type { KubeObject } from '../api/types.js';
import type { Strategy } from './strategy.js';
import { specPart } from './strategy.js';

export interface DefaultStrategyOptions {
  hasStatus: boolean;
  tracksGeneration?: boolean;
  validateName: (name: string, prefix: boolean) => string[];
}

export function defaultStrategy(opts: DefaultStrategyOptions, overrides: Partial<Strategy> = {}): Strategy {
  const base: Strategy = {
    tracksGeneration: opts.tracksGeneration ?? false,
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
    returnDeletedObject: false,
    validateName: opts.validateName,
    prepareForCreate(obj) {
      if (opts.hasStatus) delete obj.status;
    },
    prepareForUpdate(obj, old) {
      if (opts.hasStatus) {
        if (old.status === undefined) delete obj.status;
        else obj.status = old.status;
      }
    },
    prepareForStatusUpdate(obj, old) {
      // Only status changes through /status: everything else comes from the stored object.
      const status = obj.status;
      for (const k of Object.keys(obj)) if (k !== 'metadata' && k !== 'status') delete obj[k];
      for (const [k, v] of Object.entries(old)) if (k !== 'metadata' && k !== 'status') obj[k] = v;
      if (status === undefined) delete obj.status;
      obj.metadata.labels = old.metadata.labels;
      obj.metadata.annotations = old.metadata.annotations;
      obj.metadata.finalizers = old.metadata.finalizers;
      obj.metadata.ownerReferences = old.metadata.ownerReferences;
      if (obj.metadata.labels === undefined) delete obj.metadata.labels;
      if (obj.metadata.annotations === undefined) delete obj.metadata.annotations;
      if (obj.metadata.finalizers === undefined) delete obj.metadata.finalizers;
      if (obj.metadata.ownerReferences === undefined) delete obj.metadata.ownerReferences;
    },
    validate: () => [],
    validateUpdate: () => [],
    validateStatusUpdate: () => [],
    canonicalize: () => undefined,
    gracePeriodSeconds: () => 0,
    warnings: () => [],
  };
  return { ...base, ...overrides };
}

/** True when a main-resource update changed anything generation-worthy. */
export function specChanged(obj: KubeObject, old: KubeObject): boolean {
  return specPart(obj) !== specPart(old);
}
