/**
 * Building blocks for column definitions and the cells every printer shares, as in
 * pkg/printers/internalversion/printers.go AddHandlers (Kubernetes 1.32).
 */
import type { KubeObject } from '../../api/types.js';
import type { PrintContext, TableColumnDefinition } from './types.js';
import { DOC, type DocKey } from './descriptions.js';
import { since } from './format.js';

export interface ColumnOptions { format?: string; priority?: number }

/** One metav1.TableColumnDefinition; description is either literal text or a DOC key. */
export function col(name: string, type: string, description: string, opts: ColumnOptions = {}): TableColumnDefinition {
  return Object.freeze({ name, type, format: opts.format ?? '', description, priority: opts.priority ?? 0 });
}

/** A column whose description is a field's swagger doc. */
export function docCol(name: string, type: string, key: DocKey, opts: ColumnOptions = {}): TableColumnDefinition {
  return col(name, type, DOC[key], opts);
}

/** `{Name: "Name", Type: "string", Format: "name", Description: ObjectMeta name doc}`. */
export const NAME = docCol('Name', 'string', 'meta ObjectMeta.name', { format: 'name' });
/** `{Name: "Age", Type: "string", Description: ObjectMeta creationTimestamp doc}`. */
export const AGE = docCol('Age', 'string', 'meta ObjectMeta.creationTimestamp');
export const CONTAINERS_WIDE = col('Containers', 'string', 'Names of each container in the template.', { priority: 1 });
export const IMAGES_WIDE = col('Images', 'string', 'Images referenced by each container in the template.', { priority: 1 });

/** Freezes a column list (built once per printer at module load). */
export function columns(...defs: TableColumnDefinition[]): TableColumnDefinition[] {
  return Object.freeze(defs) as TableColumnDefinition[];
}

/** obj.Name. */
export function nameOf(obj: KubeObject): string {
  return obj.metadata?.name ?? '';
}

/** translateTimestampSince(obj.CreationTimestamp). */
export function ageOf(obj: KubeObject, ctx: PrintContext): string {
  return since(obj.metadata?.creationTimestamp, ctx.now);
}
