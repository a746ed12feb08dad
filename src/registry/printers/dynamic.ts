/**
 * Printers of dynamically served resources (custom resources, from additionalPrinterColumns),
 * registered by the CRD controller. Several registrations of one "group/resource" (clusters in
 * one process serving the same CRD) stack; the latest wins until it is removed. Kept apart from
 * index.ts so registering does not load every built-in printer.
 */
import type { TablePrinter } from './types.js';

const DYNAMIC = new Map<string, TablePrinter[]>();

/** Registers a dynamic resource's printer; returns the function that removes this registration. */
export function registerDynamicPrinter(group: string, resource: string, printer: TablePrinter): () => void {
  const key = group + '/' + resource;
  const stack = DYNAMIC.get(key) ?? [];
  stack.push(printer);
  DYNAMIC.set(key, stack);
  return () => {
    const cur = DYNAMIC.get(key);
    const i = cur ? cur.lastIndexOf(printer) : -1;
    if (!cur || i < 0) return;
    cur.splice(i, 1);
    if (!cur.length) DYNAMIC.delete(key);
  };
}

/** The latest registered printer of "group/resource", if any. */
export function dynamicPrinterFor(key: string): TablePrinter | undefined {
  const dyn = DYNAMIC.get(key);
  return dyn?.length ? dyn[dyn.length - 1] : undefined;
}
