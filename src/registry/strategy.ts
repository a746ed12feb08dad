/**
 * Per-kind rules (DESIGN.md convention 2). The generic store calls these in the same order as
 * kube-apiserver's rest.BeforeCreate / BeforeUpdate (k8s.io/apiserver/pkg/registry/rest/create.go,
 * update.go): prepare → validate (validate never mutates) → canonicalize.
 */
import type { KubeObject } from '../api/types.js';
import type { FieldError } from '../apimachinery/errors.js';

export interface StrategyContext {
  /** Request time (injected clock), for timestamps. */
  now: Date;
}

export interface Strategy {
  /** Whether metadata.generation is tracked (set to 1 on create, bumped when anything but metadata/status changes). */
  readonly tracksGeneration: boolean;
  /** Whether a PUT may create a missing object (nodes? no; most kinds: false). */
  readonly allowCreateOnUpdate: boolean;
  /** Whether a PUT without metadata.resourceVersion is accepted (last write wins). */
  readonly allowUnconditionalUpdate: boolean;
  /** Name validation for metadata.name (returns upstream messages; empty = valid). */
  validateName(name: string, prefix: boolean): string[];
  /** Clears/initialises fields on create (e.g. status). Mutates obj. */
  prepareForCreate(obj: KubeObject, ctx: StrategyContext): void;
  /** Carries over what a main-resource update must not change (e.g. status). Mutates obj. */
  prepareForUpdate(obj: KubeObject, old: KubeObject, ctx: StrategyContext): void;
  /** Same for an update through the status subresource. Mutates obj. */
  prepareForStatusUpdate(obj: KubeObject, old: KubeObject, ctx: StrategyContext): void;
  validate(obj: KubeObject): FieldError[];
  validateUpdate(obj: KubeObject, old: KubeObject): FieldError[];
  validateStatusUpdate(obj: KubeObject, old: KubeObject): FieldError[];
  /** Normalises representation before storage (e.g. sorting). Mutates obj. */
  canonicalize(obj: KubeObject): void;
  /** Graceful deletion: the grace period to apply, or 0 to delete now (pods honour terminationGracePeriodSeconds). */
  gracePeriodSeconds(obj: KubeObject, requested: number | undefined): number;
  /** Whether DELETE answers with the deleted object (true) or a Status (kube's ReturnDeletedObject). */
  readonly returnDeletedObject: boolean;
  /** Extra reasons to keep an object marked for deletion (namespaces: spec.finalizers). */
  blocksDeletion?(obj: KubeObject): boolean;
  /** Changes made when an object is marked for deletion (namespaces: phase Terminating). Mutates obj. */
  prepareForDelete?(obj: KubeObject, ctx: StrategyContext): void;
  /** Warnings sent as `Warning:` headers on create/update. */
  warnings(obj: KubeObject, old?: KubeObject): string[];
  /** Where the scale subresource reads and writes (custom resources: the CRD's subresources.scale); absent = spec.replicas. */
  readonly scale?: ScalePaths;
  /**
   * Loads what validate/validateUpdate/validateStatusUpdate/warnings need (the built-in kinds'
   * field validation is imported on the first write, not at start-up); the generic store awaits
   * it before a create or update.
   */
  load?(): Promise<void>;
}

/** apiextensions CustomResourceSubresourceScale: simple JSON paths such as `.spec.replicas`. */
export interface ScalePaths {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

/** Everything but metadata and status: the part whose change bumps metadata.generation. */
export function specPart(obj: KubeObject): string {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return JSON.stringify(rest);
}
