/**
 * kubeconfig writing for keks clusters: merge a cluster/user/context into the user's kubeconfig
 * (what `aws eks update-kubeconfig` and `eksctl` do), remove them again on cluster deletion, and
 * render a standalone kubeconfig.
 *
 * Contracts:
 *   - Edits go through the `yaml` Document API, so every other entry, field, comment and key
 *     order in the file survives. Within an entry of the same name, only the fields this module
 *     owns are replaced (server + CA data; client cert + key; cluster + user), and fields that
 *     would conflict with them are dropped (e.g. `certificate-authority`, `token`, `exec`):
 *     unrelated fields such as a context's `namespace` or a cluster's `proxy-url` are kept.
 *   - Credentials are embedded as base64 `*-data` fields (as kubectl's `--embed-certs`).
 *   - The file (and `~/.kube/`) is created if missing, always with mode 0600, and replaced
 *     atomically (temp + rename). A symlinked kubeconfig is written through to its target.
 *   - While writing we hold `<file>.lock`, the lock kubectl itself takes
 *     (k8s.io/client-go/tools/clientcmd/loader.go lockFile), so concurrent
 *     `kubectl config ...` runs cannot interleave with us.
 */
import { readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Document, YAMLMap, YAMLSeq, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { writeFileAtomic } from '../pki/atomic-file.js';

export interface KubeconfigEntry {
  clusterName: string;
  contextName: string;
  userName: string;
  /** API server URL, e.g. https://127.0.0.1:6443 */
  server: string;
  caPem: string;
  clientCertPem: string;
  clientKeyPem: string;
}

export interface MergeKubeconfigOptions extends KubeconfigEntry {
  /** Default: `resolveKubeconfigPath({ clusterName })`. */
  path?: string;
  /** Make `contextName` the current context. */
  setCurrentContext?: boolean;
}

export interface RemoveKubeconfigOptions {
  /** Default: `resolveKubeconfigPath({ clusterName })`. */
  path?: string;
  clusterName?: string;
  contextName?: string;
  userName?: string;
}

/**
 * Which file to write, following `aws eks update-kubeconfig` (awscli customizations/eks
 * KubeconfigSelector): an explicit path wins; otherwise, when KUBECONFIG is set, the first file
 * in it that already holds `clusterName`, else its first entry; otherwise `~/.kube/config`.
 * kubectl merges every KUBECONFIG file when reading, so whichever we pick is seen by kubectl.
 */
export async function resolveKubeconfigPath(opts: {
  explicit?: string;
  clusterName?: string;
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
} = {}): Promise<string> {
  if (opts.explicit) return opts.explicit;
  const env = opts.env ?? process.env;
  const list = (env.KUBECONFIG ?? '').split(path.delimiter).filter((p) => p !== '');
  if (list.length === 0) return path.join(opts.homeDir ?? os.homedir(), '.kube', 'config');
  if (opts.clusterName !== undefined) {
    for (const candidate of list) {
      const text = await readFile(candidate, 'utf8').catch(() => null);
      if (text === null) continue;
      if (holdsCluster(text, opts.clusterName)) return candidate;
    }
  }
  return list[0]!;
}

function holdsCluster(text: string, clusterName: string): boolean {
  try {
    const doc = parseDocument(text);
    return doc.errors.length === 0 && isMap(doc.contents) && findNamed(namedList(doc, 'clusters', false), clusterName) >= 0;
  } catch {
    return false; // not a kubeconfig we understand: not the one holding the cluster
  }
}

/** Adds or updates the cluster, user and context in the kubeconfig at `path`. Returns the path written. */
export async function mergeKubeconfig(opts: MergeKubeconfigOptions): Promise<string> {
  const file = await resolveKubeconfigPath({ explicit: opts.path, clusterName: opts.clusterName });
  await editKubeconfig(file, (doc) => {
    applyEntry(doc, opts);
    if (opts.setCurrentContext) doc.set('current-context', opts.contextName);
    return true;
  });
  return file;
}

/**
 * Removes the named cluster, context and user entries (those given). If the current context was
 * removed, `current-context` becomes "" (as eksctl does on cluster deletion). A missing file is
 * left missing. Returns how many entries were removed.
 */
export async function removeKubeconfigEntries(opts: RemoveKubeconfigOptions): Promise<number> {
  const file = await resolveKubeconfigPath({ explicit: opts.path, clusterName: opts.clusterName });
  if (!existsSync(file)) return 0;
  let removed = 0;
  await editKubeconfig(file, (doc, existed) => {
    if (!existed) return false;
    removed += removeNamed(doc, 'clusters', opts.clusterName);
    removed += removeNamed(doc, 'users', opts.userName);
    const contexts = removeNamed(doc, 'contexts', opts.contextName);
    removed += contexts;
    if (contexts > 0 && doc.get('current-context') === opts.contextName) doc.set('current-context', '');
    return removed > 0;
  });
  return removed;
}

/** A standalone kubeconfig holding just this entry, with it as the current context. */
export function renderKubeconfig(entry: KubeconfigEntry): string {
  const doc = emptyKubeconfig();
  applyEntry(doc, entry);
  doc.set('current-context', entry.contextName);
  return doc.toString({ lineWidth: 0, indentSeq: false });
}

/**
 * kubectl writes top-level lists unindented (`- cluster:` at column 0); keep that style unless
 * the existing file indents them.
 */
function indentsSequences(text: string | null): boolean {
  return text !== null && /^(clusters|contexts|users):[ \t]*\r?\n[ \t]+- /m.test(text);
}

// ---------------------------------------------------------------------------------------------

function applyEntry(doc: Document, e: KubeconfigEntry): void {
  upsertNamed(doc, 'clusters', e.clusterName, 'cluster', {
    set: { 'certificate-authority-data': b64(e.caPem), server: e.server },
    drop: ['certificate-authority', 'insecure-skip-tls-verify'],
  });
  upsertNamed(doc, 'users', e.userName, 'user', {
    set: { 'client-certificate-data': b64(e.clientCertPem), 'client-key-data': b64(e.clientKeyPem) },
    drop: ['client-certificate', 'client-key', 'token', 'tokenFile', 'username', 'password', 'exec', 'auth-provider'],
  });
  upsertNamed(doc, 'contexts', e.contextName, 'context', {
    set: { cluster: e.clusterName, user: e.userName },
    drop: [],
  });
}

type ListKey = 'clusters' | 'users' | 'contexts';

/** The `clusters`/`users`/`contexts` sequence; `null`/absent becomes a new empty one when `create`. */
function namedList(doc: Document, key: ListKey, create: boolean): YAMLSeq | null {
  const node = doc.get(key, true);
  if (isSeq(node)) return node;
  // kubectl writes an empty list as `clusters: null`.
  const absent = node === undefined || node === null || (isScalar(node) && node.value === null);
  if (!absent) throw new Error(`kubeconfig: "${key}" is not a list`);
  if (!create) return null;
  const seq = new YAMLSeq();
  doc.set(key, seq);
  return seq;
}

function findNamed(seq: YAMLSeq | null, name: string): number {
  if (!seq) return -1;
  return seq.items.findIndex((item) => isMap(item) && item.get('name') === name);
}

function upsertNamed(
  doc: Document,
  key: ListKey,
  name: string,
  inner: 'cluster' | 'user' | 'context',
  fields: { set: Record<string, string>; drop: string[] },
): void {
  const seq = namedList(doc, key, true)!;
  const i = findNamed(seq, name);
  if (i < 0) {
    // kubectl's own key order: the payload map first, then name (for users: name first).
    const entry = inner === 'user' ? { name, user: fields.set } : { [inner]: fields.set, name };
    seq.items.push(doc.createNode(entry));
    return;
  }
  const entry = seq.items[i] as YAMLMap;
  const existing: unknown = entry.get(inner, true);
  let map: YAMLMap;
  if (isMap(existing)) {
    map = existing;
  } else {
    map = new YAMLMap();
    entry.set(inner, map);
  }
  for (const k of fields.drop) map.delete(k);
  for (const [k, v] of Object.entries(fields.set)) map.set(k, v);
}

function removeNamed(doc: Document, key: ListKey, name: string | undefined): number {
  if (name === undefined) return 0;
  const seq = namedList(doc, key, false);
  if (!seq) return 0;
  const before = seq.items.length;
  seq.items = seq.items.filter((item) => !(isMap(item) && item.get('name') === name));
  return before - seq.items.length;
}

function emptyKubeconfig(): Document {
  return new Document({ apiVersion: 'v1', clusters: [], contexts: [], 'current-context': '', kind: 'Config', preferences: {}, users: [] });
}

/**
 * Loads (or starts) the kubeconfig at `file`, lets `edit` change it, and writes it back
 * atomically (mode 0600) when `edit` returns true — all under kubectl's `<file>.lock`.
 */
async function editKubeconfig(file: string, edit: (doc: Document, existed: boolean) => boolean): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // kubectl locks the path it was given (not a symlink's target), so we lock the same name.
  await withLock(`${file}.lock`, async () => {
    const target = await realpath(file).catch(() => file);
    const text = await readFile(target, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    });
    let doc: Document;
    if (text === null || text.trim() === '') {
      doc = emptyKubeconfig();
    } else {
      doc = parseDocument(text);
      if (doc.errors.length > 0) throw new Error(`${target}: not valid YAML: ${doc.errors[0]!.message}`);
      if (doc.contents === null) doc = emptyKubeconfig();
      else if (!isMap(doc.contents)) throw new Error(`${target}: not a kubeconfig (top level is not a mapping)`);
    }
    if (!edit(doc, text !== null)) return;
    writeFileAtomic(target, doc.toString({ lineWidth: 0, indentSeq: indentsSequences(text) }), { mode: 0o600 });
  });
}

const LOCK_WAIT_MS = 2000;
const LOCK_POLL_MS = 20;

/** Holds `lockFile` (O_EXCL create, as clientcmd) while `fn` runs; waits at most LOCK_WAIT_MS for it. */
async function withLock(lockFile: string, fn: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await writeFile(lockFile, '', { flag: 'wx', mode: 0o600 });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (Date.now() >= deadline) {
        throw new Error(`kubeconfig is locked by ${lockFile}; if no kubectl or keks is writing it, delete that file`);
      }
      await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
    }
  }
  try {
    await fn();
  } finally {
    await rm(lockFile, { force: true });
  }
}

function b64(pem: string): string {
  return Buffer.from(pem, 'utf8').toString('base64');
}
