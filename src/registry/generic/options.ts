/** Options of the generic store's verbs (the registry-side view of the query parameters). */
import type { KubeObject } from '../../api/types.js';
import type { ObjectFilter } from './filter.js';

/** Called after the strategy validated an object: validating admission (DESIGN: passed down as a callback). */
export type AdmitFn = (obj: KubeObject, old: KubeObject | null) => void | Promise<void>;

/**
 * Field ownership of a non-apply write (registry/fieldmanager updateManagedFields): called with the
 * live object (null on create) and the new one after the strategy prepared it, before validation;
 * sets obj.metadata.managedFields.
 */
export type TrackFieldsFn = (old: KubeObject | null, obj: KubeObject) => void;

export interface WriteOptions {
  dryRun?: boolean;
  admit?: AdmitFn;
  trackFields?: TrackFieldsFn;
}

export interface UpdateOptions extends WriteOptions {
  /** '' for the main resource, 'status' for /status, other subresources treat the body as the whole object. */
  subresource?: string;
  /** Rules of a subresource with its own strategy (e.g. namespaces/finalize); default: the kind's. */
  strategy?: import('../strategy.js').Strategy;
  /** Create the object when it does not exist (server-side apply, kinds with allowCreateOnUpdate). */
  forceAllowCreate?: boolean;
}

export interface Preconditions { uid?: string; resourceVersion?: string }

export interface DeleteOptions extends WriteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: Preconditions;
}

export type ResourceVersionMatch = 'NotOlderThan' | 'Exact' | '';

export interface ListOptions {
  filter: ObjectFilter;
  /** True when the filter has label/field conditions (disables remainingItemCount, as upstream). */
  resourceVersion?: string;
  resourceVersionMatch?: ResourceVersionMatch;
  limit?: number;
  continue?: string;
}

export interface WatchOptions {
  filter: ObjectFilter;
  resourceVersion?: string;
  resourceVersionMatch?: ResourceVersionMatch;
  /** Send synthetic ADDED events for the current state first (RV unset/"0", or sendInitialEvents=true). */
  sendInitialEvents?: boolean;
  allowWatchBookmarks?: boolean;
}

/** One list entry: decoded or serialised on demand (a JSON list of 10k items needs no parse). */
export interface ListedItem {
  json(): string;
  object(): KubeObject;
}

export interface ListResult {
  items: ListedItem[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}
