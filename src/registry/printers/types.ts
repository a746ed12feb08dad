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

/** metav1.TableRowCondition (pods that Succeeded or Failed carry one: type Completed). */
export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface TablePrinter {
  columns: TableColumnDefinition[];
  /**
   * One row of cells per object, in column order. kube-apiserver always prints with
   * GenerateOptions{Wide: true} (pkg/printers/storage), so rows carry the priority-1 cells too.
   */
  cells(obj: KubeObject, ctx: PrintContext): TableCell[];
  /** Row conditions (rows[].conditions) when the kind sets them; undefined otherwise. */
  conditions?(obj: KubeObject): TableRowCondition[] | undefined;
  /**
   * Order of rows in a list when upstream's list printer re-sorts items (FlowSchemas by
   * matchingPrecedence, then name); absent = storage order.
   */
  compare?(a: KubeObject, b: KubeObject): number;
}
