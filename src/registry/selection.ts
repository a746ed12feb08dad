/**
 * The label and field selection of a list or watch (storage.SelectionPredicate): label
 * selectors against metadata.labels, field selectors against the kind's selectable fields.
 */
import type { KubeObject } from '../api/types.js';
import { parseLabelSelector } from '../apimachinery/labels.js';
import { parseFieldSelector } from '../apimachinery/fields.js';
import { convertFieldSelector, selectableFields } from './fieldsets.js';
import { MATCH_EVERYTHING, type ObjectFilter } from './generic/filter.js';

export function buildFilter(group: string, resource: string, labelSelector: string | null, fieldSelector: string | null): ObjectFilter {
  const labels = labelSelector ? parseLabelSelector(labelSelector) : null;
  // Field labels go through the kind's conversion (which rejects unknown ones with its own wording).
  const fields = fieldSelector ? convertFieldSelector(group, resource, parseFieldSelector(fieldSelector)) : null;
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
