/**
 * flowcontrol.apiserver.k8s.io printers (flowschemas, prioritylevelconfigurations) and
 * internal.apiserver.k8s.io storageversions, as pkg/printers/internalversion/printers.go
 * (Kubernetes 1.32). FlowSchema lists are re-sorted upstream (FlowSchemaSequence: matching
 * precedence, then name); `compare` carries that order.
 */
import type { KubeObject } from '../../api/types.js';
import type { TableCell, TablePrinter } from './types.js';
import { AGE, NAME, ageOf, col, columns, docCol, nameOf } from './columns.js';
import { compareStrings, listWithMore } from './format.js';

interface FlowSchemaLike extends KubeObject {
  spec?: {
    priorityLevelConfiguration?: { name?: string };
    matchingPrecedence?: number;
    distinguisherMethod?: { type?: string } | null;
  };
  status?: { conditions?: Array<{ type?: string; status?: string }> };
}

export const flowSchemaPrinter: TablePrinter = {
  columns: columns(
    NAME,
    docCol('PriorityLevel', 'string', 'flowcontrol/v1 PriorityLevelConfigurationReference.name'),
    docCol('MatchingPrecedence', 'string', 'flowcontrol/v1 FlowSchemaSpec.matchingPrecedence'),
    docCol('DistinguisherMethod', 'string', 'flowcontrol/v1 FlowSchemaSpec.distinguisherMethod'),
    AGE,
    col('MissingPL', 'string', 'references a broken or non-existent PriorityLevelConfiguration'),
  ),
  cells(obj, ctx) {
    const fs = obj as FlowSchemaLike;
    const spec = fs.spec ?? {};
    let badPLRef = '?';
    for (const c of fs.status?.conditions ?? []) {
      if (c.type === 'Dangling') { badPLRef = c.status ?? ''; break; }
    }
    return [
      nameOf(fs), spec.priorityLevelConfiguration?.name ?? '', spec.matchingPrecedence ?? 0,
      spec.distinguisherMethod ? spec.distinguisherMethod.type ?? '' : '<none>', ageOf(fs, ctx), badPLRef,
    ];
  },
  compare(a, b) {
    const pa = (a as FlowSchemaLike).spec?.matchingPrecedence ?? 0;
    const pb = (b as FlowSchemaLike).spec?.matchingPrecedence ?? 0;
    return pa !== pb ? pa - pb : compareStrings(nameOf(a), nameOf(b));
  },
};

interface PriorityLevelLike extends KubeObject {
  spec?: {
    type?: string;
    limited?: {
      nominalConcurrencyShares?: number | null;
      limitResponse?: { queuing?: { queues?: number; handSize?: number; queueLengthLimit?: number } | null };
    } | null;
  };
}

export const priorityLevelConfigurationPrinter: TablePrinter = {
  columns: columns(
    NAME,
    docCol('Type', 'string', 'flowcontrol/v1 PriorityLevelConfigurationSpec.type'),
    docCol('NominalConcurrencyShares', 'string', 'flowcontrol/v1 LimitedPriorityLevelConfiguration.nominalConcurrencyShares'),
    docCol('Queues', 'string', 'flowcontrol/v1 QueuingConfiguration.queues'),
    docCol('HandSize', 'string', 'flowcontrol/v1 QueuingConfiguration.handSize'),
    docCol('QueueLengthLimit', 'string', 'flowcontrol/v1 QueuingConfiguration.queueLengthLimit'),
    AGE,
  ),
  cells(obj, ctx) {
    const spec = (obj as PriorityLevelLike).spec ?? {};
    let ncs: TableCell = '<none>';
    let queues: TableCell = '<none>';
    let handSize: TableCell = '<none>';
    let queueLengthLimit: TableCell = '<none>';
    if (spec.limited) {
      ncs = spec.limited.nominalConcurrencyShares ?? 0;
      const q = spec.limited.limitResponse?.queuing;
      if (q) {
        queues = q.queues ?? 0;
        handSize = q.handSize ?? 0;
        queueLengthLimit = q.queueLengthLimit ?? 0;
      }
    }
    return [nameOf(obj), spec.type ?? '', ncs, queues, handSize, queueLengthLimit, ageOf(obj, ctx)];
  },
};

interface StorageVersionLike extends KubeObject {
  status?: { commonEncodingVersion?: string | null; storageVersions?: Array<{ apiServerID?: string; encodingVersion?: string }> };
}

export const storageVersionPrinter: TablePrinter = {
  columns: columns(
    NAME,
    docCol('CommonEncodingVersion', 'string', 'apiserverinternal/v1alpha1 StorageVersionStatus.commonEncodingVersion'),
    docCol('StorageVersions', 'string', 'apiserverinternal/v1alpha1 StorageVersionStatus.storageVersions'),
    AGE,
  ),
  cells(obj, ctx) {
    const st = (obj as StorageVersionLike).status ?? {};
    const list: string[] = [];
    const max = 3;
    let more = false;
    let count = 0;
    for (const sv of st.storageVersions ?? []) {
      if (list.length < max) list.push(`${sv.apiServerID ?? ''}=${sv.encodingVersion ?? ''}`);
      else if (list.length === max) more = true;
      count++;
    }
    return [nameOf(obj), st.commonEncodingVersion ?? '<unset>', listWithMore(list, more, count, max), ageOf(obj, ctx)];
  },
};
