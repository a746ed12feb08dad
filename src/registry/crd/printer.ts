/**
 * The Table printer of a custom resource version (apiextensions-apiserver
 * pkg/registry/customresource/tableconvertor/tableconvertor.go): NAME first, then the
 * version's additionalPrinterColumns, or a single Age column (.metadata.creationTimestamp,
 * type date) when it declares none (crdHandler serveDefaultColumnsIfEmpty). Cells: the first
 * JSONPath match; type string prints the value as jsonpath does, integer/number/boolean keep
 * JSON values of that type, date becomes a human duration; anything else or no match → null.
 */
import type { KubeObject } from '../../api/types.js';
import type { TableCell, TableColumnDefinition, TablePrinter } from '../printers/types.js';
import { NAME, nameOf } from '../printers/columns.js';
import { DOC } from '../printers/descriptions.js';
import { humanDuration, parseTime } from '../printers/format.js';
import { evalJsonPath, parseJsonPath } from './jsonpath.js';
import type { PrinterColumn } from './types.js';

const DEFAULT_COLUMNS: PrinterColumn[] = [
  { name: 'Age', type: 'date', description: DOC['meta ObjectMeta.creationTimestamp'], jsonPath: '.metadata.creationTimestamp' },
];

/** jsonpath's printing of one value (strings raw, other scalars as Go's %v, objects as JSON). */
function printValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return '<nil>';
  return JSON.stringify(v);
}

function cellFor(type: string, v: unknown, now: Date): TableCell {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'string': return printValue(v);
    case 'integer': return typeof v === 'number' && Number.isInteger(v) ? v : null;
    case 'number': return typeof v === 'number' ? v : null;
    case 'boolean': return typeof v === 'boolean' ? v : null;
    case 'date': {
      if (typeof v !== 'string') return null;
      const t = parseTime(v);
      return t === undefined ? '<invalid>' : humanDuration(now.getTime() - t);
    }
    default: return null;
  }
}

export function customResourcePrinter(columns: PrinterColumn[] | undefined): TablePrinter {
  const cols = columns?.length ? columns : DEFAULT_COLUMNS;
  const paths = cols.map((c) => parseJsonPath(c.jsonPath));
  const defs: TableColumnDefinition[] = [NAME, ...cols.map((c) => ({
    name: c.name, type: c.type, format: c.format ?? '',
    description: c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
    priority: c.priority ?? 0,
  }))];
  return {
    columns: defs,
    cells(obj: KubeObject, ctx) {
      const out: TableCell[] = [nameOf(obj)];
      cols.forEach((c, i) => {
        const found = evalJsonPath(paths[i], obj);
        out.push(found.length ? cellFor(c.type, found[0], ctx.now) : null);
      });
      return out;
    },
  };
}
