/**
 * The label and field selection of a list or watch (storage.SelectionPredicate): label
 * selectors against metadata.labels, field selectors against the kind's selectable fields.
 */
import type { KubeObject } from '../api/types.js';
import { parseLabelSelector } from '../apimachinery/labels.js';
import { parseFieldSelector } from '../apimachinery/fields.js';
import { badRequest } from '../apimachinery/errors.js';
import { selectableFields, supportedFieldLabels } from './fieldsets.js';
import { MATCH_EVERYTHING, type ObjectFilter } from './generic/filter.js';

export function buildFilter(group: string, resource: string, labelSelector: string | null, fieldSelector: string | null): ObjectFilter {
  const labels = labelSelector ? parseLabelSelector(labelSelector) : null;
  const fields = fieldSelector ? parseFieldSelector(fieldSelector) : null;
  if (fields && !fields.empty) {
    const supported = supportedFieldLabels(group, resource);
    for (const r of fields.requirements()) {
      if (!supported.includes(r.field)) {
        throw badRequest(`field label not supported: ${r.field}`);
      }
    }
  }
  const useLabels = labels && !labels.empty ? labels : null;
  const useFields = fields && !fields.empty ? fields : null;
  if (!useLabels && !useFields) return MATCH_EVERYTHING;
  return {
    everything: false,
    matches(obj: KubeObject): boolean {
      if (useLabels && !useLabels.matches(obj.metadata.labels)) return false;
      if (useFields && !useFields.matches(selectableFields(group, resource, obj))) return false;
      return true;
    },
  };
}
