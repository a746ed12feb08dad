/**
 * The "simple JSON path" of additionalPrinterColumns, evaluated as k8s.io/client-go/util/jsonpath
 * does with AllowMissingKeys: `.a.b`, `['a.b']`, `[0]`, `[*]`, `[-1]`, `..`-free filters
 * `[?(@.type=="Ready")]` / `[?(@.x == 'y')]` / `[?(@.x)]`. Returns every match in order
 * (the printer uses the first). A path it cannot parse throws.
 */

type Step =
  | { k: 'field'; name: string }
  | { k: 'index'; i: number }
  | { k: 'all' }
  | { k: 'filter'; path: string[]; op?: '==' | '!='; value?: unknown };

export function parseJsonPath(src: string): Step[] {
  let s = src.trim();
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1);
  if (s.startsWith('$')) s = s.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === '.') {
      const m = /^\.((?:\\.|[A-Za-z0-9_\-/])+)/.exec(s.slice(i));
      if (!m) {
        if (s[i + 1] === '[' || i + 1 === s.length) { i++; continue; }
        throw new Error(`unrecognized JSONPath at ${i}: ${src}`);
      }
      steps.push({ k: 'field', name: m[1].replace(/\\(.)/g, '$1') });
      i += m[0].length;
    } else if (s[i] === '[') {
      const close = findClose(s, i);
      const inner = s.slice(i + 1, close).trim();
      i = close + 1;
      if (inner === '*') steps.push({ k: 'all' });
      else if (/^-?\d+$/.test(inner)) steps.push({ k: 'index', i: Number(inner) });
      else if (/^'.*'$|^".*"$/.test(inner)) steps.push({ k: 'field', name: inner.slice(1, -1) });
      else if (inner.startsWith('?(') && inner.endsWith(')')) steps.push(parseFilter(inner.slice(2, -1), src));
      else throw new Error(`unsupported JSONPath element [${inner}] in ${src}`);
    } else {
      throw new Error(`unrecognized JSONPath at ${i}: ${src}`);
    }
  }
  return steps;
}

function findClose(s: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (quote) { if (c === quote) quote = ''; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  throw new Error(`unclosed [ in JSONPath ${s}`);
}

function parseFilter(expr: string, src: string): Step {
  const m = /^@((?:\.[A-Za-z0-9_\-/]+)+)\s*(?:(==|!=)\s*(.+))?$/.exec(expr.trim());
  if (!m) throw new Error(`unsupported JSONPath filter ${expr} in ${src}`);
  const path = m[1].slice(1).split('.');
  if (!m[2]) return { k: 'filter', path };
  const raw = m[3].trim();
  let value: unknown;
  if (/^'.*'$|^".*"$/.test(raw)) value = raw.slice(1, -1);
  else if (raw === 'true' || raw === 'false') value = raw === 'true';
  else if (!Number.isNaN(Number(raw))) value = Number(raw);
  else throw new Error(`unsupported JSONPath filter value ${raw} in ${src}`);
  return { k: 'filter', path, op: m[2] as '==' | '!=', value };
}

function get(v: unknown, path: string[]): unknown {
  let cur = v;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** All values `steps` select from `root` (missing keys select nothing). */
export function evalJsonPath(steps: Step[], root: unknown): unknown[] {
  let cur: unknown[] = [root];
  for (const st of steps) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (st.k === 'field') {
        if (v !== null && typeof v === 'object' && !Array.isArray(v) && st.name in (v as object)) next.push((v as Record<string, unknown>)[st.name]);
      } else if (st.k === 'index') {
        if (Array.isArray(v)) { const i = st.i < 0 ? v.length + st.i : st.i; if (i >= 0 && i < v.length) next.push(v[i]); }
      } else if (st.k === 'all') {
        if (Array.isArray(v)) next.push(...v);
        else if (v !== null && typeof v === 'object') next.push(...Object.values(v as object));
      } else {
        const items = Array.isArray(v) ? v : [];
        for (const it of items) {
          const x = get(it, st.path);
          if (st.op === undefined ? x !== undefined : st.op === '==' ? x === st.value : x !== undefined && x !== st.value) next.push(it);
        }
      }
    }
    cur = next;
  }
  return cur;
}
