/**
 * Server-side printing (meta.k8s.io/v1 Table), as kube-apiserver does it with the column
 * handlers of pkg/printers/internalversion/printers.go.
 */
import type { KubeObject } from '../../api/types.js';

export interface TableColumnDefinition {
  name: string;
  /** OpenAPI type: string | integer | number | boolean | date */
  type: string;
  /** name | date | ... ('' when none) */
  format: string;
  description: string;
  /** 0 = always shown; 1 = only with -o wide */
  priority: number;
}

export type TableCell = string | number | boolean | null;

/** Everything a row function may need besides the object itself. */
export interface PrintContext {
  /** "now", for AGE-like columns (injected clock). */
  now: Date;
}

export interface TablePrinter {
  columns: TableColumnDefinition[];
  /** One row of cells per object, in column order. */
  cells(obj: KubeObject, ctx: PrintContext): TableCell[];
}
