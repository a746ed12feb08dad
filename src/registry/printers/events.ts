/**
 * Events (core/v1 and events.k8s.io/v1, which share one store upstream):
 * LAST SEEN TYPE REASON OBJECT MESSAGE (wide: SUBOBJECT SOURCE FIRST SEEN COUNT NAME), as printEvent
 * in pkg/printers/internalversion/printers.go (Kubernetes 1.32). events.k8s.io/v1 objects are read
 * through the v1 → internal conversion (regarding → involvedObject, note → message,
 * deprecated* → firstTimestamp/lastTimestamp/count/source).
 */
import type { KubeObject } from '../../api/types.js';
import type { PrintContext, TableCell, TablePrinter } from './types.js';
import { columns, docCol } from './columns.js';
import { since, parseTime } from './format.js';

interface ObjectRefLike { kind?: string; name?: string; fieldPath?: string }
interface SourceLike { component?: string; host?: string }
interface SeriesLike { count?: number; lastObservedTime?: string }

interface CoreEventLike extends KubeObject {
  involvedObject?: ObjectRefLike;
  reason?: string;
  message?: string;
  source?: SourceLike;
  firstTimestamp?: string;
  lastTimestamp?: string;
  count?: number;
  type?: string;
  eventTime?: string;
  series?: SeriesLike;
  reportingComponent?: string;
  reportingInstance?: string;
}

interface EventsV1Like extends KubeObject {
  regarding?: ObjectRefLike;
  note?: string;
  reason?: string;
  type?: string;
  eventTime?: string;
  series?: SeriesLike;
  reportingController?: string;
  reportingInstance?: string;
  deprecatedSource?: SourceLike;
  deprecatedFirstTimestamp?: string;
  deprecatedLastTimestamp?: string;
  deprecatedCount?: number;
}

/** The fields printEvent reads, from either API version. */
interface EventView {
  involved: ObjectRefLike;
  reason: string;
  message: string;
  source: SourceLike;
  firstTimestamp?: string;
  lastTimestamp?: string;
  count: number;
  type: string;
  eventTime?: string;
  series?: SeriesLike;
  reportingController: string;
  reportingInstance: string;
}

function isEventsV1(obj: KubeObject): boolean {
  if (typeof obj.apiVersion === 'string') return obj.apiVersion.startsWith('events.k8s.io/');
  return !('involvedObject' in obj) && ('regarding' in obj || 'note' in obj);
}

function view(obj: KubeObject): EventView {
  if (isEventsV1(obj)) {
    const e = obj as EventsV1Like;
    return {
      involved: e.regarding ?? {}, reason: e.reason ?? '', message: e.note ?? '', source: e.deprecatedSource ?? {},
      firstTimestamp: e.deprecatedFirstTimestamp, lastTimestamp: e.deprecatedLastTimestamp,
      count: e.deprecatedCount ?? 0, type: e.type ?? '', eventTime: e.eventTime, series: e.series,
      reportingController: e.reportingController ?? '', reportingInstance: e.reportingInstance ?? '',
    };
  }
  const e = obj as CoreEventLike;
  return {
    involved: e.involvedObject ?? {}, reason: e.reason ?? '', message: e.message ?? '', source: e.source ?? {},
    firstTimestamp: e.firstTimestamp, lastTimestamp: e.lastTimestamp, count: e.count ?? 0, type: e.type ?? '',
    eventTime: e.eventTime, series: e.series,
    reportingController: e.reportingComponent ?? '', reportingInstance: e.reportingInstance ?? '',
  };
}

/** printers.go formatEventSource: component (or reportingController), then `, host` when set. */
function formatEventSource(source: SourceLike, controller: string, instance: string): string {
  const component = source.component || controller;
  const host = source.host || instance;
  return host ? `${component}, ${host}` : component;
}

function eventCells(obj: KubeObject, ctx: PrintContext): TableCell[] {
  const e = view(obj);
  let first = since(e.firstTimestamp, ctx.now);
  if (parseTime(e.firstTimestamp) === undefined) first = since(e.eventTime, ctx.now);
  let last = since(e.lastTimestamp, ctx.now);
  if (parseTime(e.lastTimestamp) === undefined) last = first;
  let count = e.count;
  if (e.series) {
    last = since(e.series.lastObservedTime, ctx.now);
    count = e.series.count ?? 0;
  } else if (count === 0) {
    // Singleton events don't have a count set in the new API.
    count = 1;
  }
  const kind = (e.involved.kind ?? '').toLowerCase();
  const target = e.involved.name ? `${kind}/${e.involved.name}` : kind;
  return [
    last, e.type, e.reason, target, e.involved.fieldPath ?? '',
    formatEventSource(e.source, e.reportingController, e.reportingInstance), e.message.trim(),
    first, count, obj.metadata?.name ?? '',
  ];
}

export const eventPrinter: TablePrinter = {
  columns: columns(
    docCol('Last Seen', 'string', 'core/v1 Event.lastTimestamp'),
    docCol('Type', 'string', 'core/v1 Event.type'),
    docCol('Reason', 'string', 'core/v1 Event.reason'),
    docCol('Object', 'string', 'core/v1 Event.involvedObject'),
    docCol('Subobject', 'string', 'core/v1 ObjectReference.fieldPath', { priority: 1 }),
    docCol('Source', 'string', 'core/v1 Event.source', { priority: 1 }),
    docCol('Message', 'string', 'core/v1 Event.message'),
    docCol('First Seen', 'string', 'core/v1 Event.firstTimestamp', { priority: 1 }),
    docCol('Count', 'string', 'core/v1 Event.count', { priority: 1 }),
    docCol('Name', 'string', 'meta ObjectMeta.name', { priority: 1, format: 'name' }),
  ),
  cells: eventCells,
};
