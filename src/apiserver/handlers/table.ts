/**
 * Server-side printing into meta.k8s.io Table (k8s.io/apiserver/pkg/registry/rest/table.go and
 * the TableConvertor of each kind). Rows carry the object's metadata (PartialObjectMetadata)
 * unless includeObject says otherwise, so `-A`, `--show-labels` and `-L` work in kubectl.
 */
import type { KubeObject } from '../../api/types.js';
import { badRequest } from '../../apimachinery/errors.js';
import type * as Printers from '../../registry/printers/index.js';

let printers: typeof Printers | undefined;
let loading: Promise<void> | undefined;
/** The built-in printers load on the first Table request (start-up budget); await before buildTable. */
export function ensurePrinters(): Promise<void> {
  return (loading ??= import('../../registry/printers/index.js').then((m) => { printers = m; }));
}
import type { TableCell } from '../../registry/printers/types.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function parseIncludeObject(v: string | null): IncludeObject {
  if (v === null || v === '' || v === 'Metadata') return 'Metadata';
  if (v === 'None' || v === 'Object') return v;
  throw badRequest(`includeObject: Unsupported value: "${v}": supported values: "Metadata", "None", "Object"`);
}

export interface TableInput {
  group: string;
  resource: string;
  version: 'v1' | 'v1beta1';
  objects: KubeObject[];
  now: Date;
  includeObject: IncludeObject;
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
  /** Omit columnDefinitions (watch events after the first). */
  omitHeaders?: boolean;
}

function rowObject(obj: KubeObject, include: IncludeObject, version: string): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata };
}

export function buildTable(t: TableInput): Record<string, unknown> {
  if (!printers) throw new Error('buildTable before ensurePrinters()');
  const printer = printers.printerFor(t.group, t.resource);
  const ctx = { now: t.now };
  const objects = printer.compare ? [...t.objects].sort((a, b) => printer.compare?.(a, b) ?? 0) : t.objects;
  const rows = objects.map((o) => {
    const row: { cells: TableCell[]; conditions?: unknown; object?: unknown } = { cells: printer.cells(o, ctx) };
    const conds = printer.conditions?.(o);
    if (conds) row.conditions = conds;
    const ro = rowObject(o, t.includeObject, t.version);
    if (ro !== undefined) row.object = ro;
    return row;
  });
  const metadata: Record<string, unknown> = {};
  if (t.resourceVersion) metadata.resourceVersion = t.resourceVersion;
  if (t.continue) metadata.continue = t.continue;
  if (t.remainingItemCount !== undefined) metadata.remainingItemCount = t.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${t.version}`,
    metadata,
    columnDefinitions: t.omitHeaders ? null : printer.columns,
    rows,
  };
}

/** PartialObjectMetadata(List) of objects (as=PartialObjectMetadata, used by metadata informers). */
export function partialObject(obj: KubeObject, version: string): Record<string, unknown> {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata };
}
