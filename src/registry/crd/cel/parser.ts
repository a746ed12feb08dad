/**
 * A recursive-descent parser for CEL expressions (grammar of github.com/google/cel-spec
 * doc/langdef.md "Syntax"): ternary, ||, &&, relations (incl. `in`), + - * / %, unary ! -,
 * member access, indexing, calls, list and map literals, and the macros has/all/exists/
 * exists_one/map/filter. Anything it cannot parse throws CelCompileError.
 */
import { CelCompileError, CelUint, type BinaryOp, type CelNode } from './ast.js';

type Tok = { k: 'num' | 'str' | 'id' | 'op' | 'eof'; v: string; val?: bigint | number | string | CelUint; pos: number };

const OPS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '+', '-', '*', '/', '%', '!', '?', ':', '.', ',', '(', ')', '[', ']', '{', '}'];
const MACROS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

function unescapeString(body: string, raw: boolean): string {
  if (raw) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') { out += c; continue; }
    const n = body[++i];
    switch (n) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case '\\': out += '\\'; break;
      case '"': out += '"'; break;
      case "'": out += "'"; break;
      case '`': out += '`'; break;
      case '?': out += '?'; break;
      case 'a': out += '\x07'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'v': out += '\v'; break;
      case 'u': out += String.fromCharCode(parseInt(body.slice(i + 1, i + 5), 16)); i += 4; break;
      case 'U': out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 9), 16)); i += 8; break;
      case 'x': out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16)); i += 2; break;
      default: throw new CelCompileError(`invalid escape sequence \\${n ?? ''}`);
    }
  }
  return out;
}

export function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '/' && src[i + 1] === '/') { while (i < src.length && src[i] !== '\n') i++; continue; }
    const start = i;
    // strings, raw strings (r"..."), bytes are not supported
    let raw = false;
    if ((c === 'r' || c === 'R') && (src[i + 1] === '"' || src[i + 1] === "'")) { raw = true; i++; }
    const q = src[i];
    if (q === '"' || q === "'") {
      const triple = src.startsWith(q.repeat(3), i);
      const close = triple ? q.repeat(3) : q;
      i += close.length;
      let body = '';
      while (i < src.length && !src.startsWith(close, i)) {
        if (src[i] === '\\' && !raw) { body += src[i] + (src[i + 1] ?? ''); i += 2; continue; }
        if (!triple && src[i] === '\n') throw new CelCompileError(`unterminated string at ${start}`);
        body += src[i++];
      }
      if (i >= src.length) throw new CelCompileError(`unterminated string at ${start}`);
      i += close.length;
      toks.push({ k: 'str', v: body, val: unescapeString(body, raw), pos: start });
      continue;
    }
    i = start;
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(0[xX][0-9a-fA-F]+[uU]?|[0-9]*\.[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+|[0-9]+[uU]?)/.exec(src.slice(i));
      if (!m) throw new CelCompileError(`bad number at ${i}`);
      const s = m[1];
      i += s.length;
      let val: bigint | number | CelUint;
      if (/[uU]$/.test(s)) val = new CelUint(BigInt(s.slice(0, -1)));
      else if (/^0[xX]/.test(s) || /^[0-9]+$/.test(s)) val = BigInt(s);
      else val = Number(s);
      toks.push({ k: 'num', v: s, val, pos: start });
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i)) as RegExpExecArray;
      i += m[0].length;
      toks.push({ k: 'id', v: m[0], pos: start });
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new CelCompileError(`Syntax error: token recognition error at: '${c}'`);
    i += op.length;
    toks.push({ k: 'op', v: op, pos: start });
  }
  toks.push({ k: 'eof', v: '', pos: src.length });
  return toks;
}

class Parser {
  private p = 0;
  constructor(private readonly toks: Tok[]) {}

  private peek(): Tok { return this.toks[this.p]; }
  private next(): Tok { return this.toks[this.p++]; }
  private isOp(v: string): boolean { const t = this.peek(); return t.k === 'op' && t.v === v; }
  private isId(v: string): boolean { const t = this.peek(); return t.k === 'id' && t.v === v; }
  private expect(v: string): void {
    const t = this.next();
    if (t.k !== 'op' || t.v !== v) throw new CelCompileError(`Syntax error: expected '${v}' at position ${t.pos}, got '${t.v || '<EOF>'}'`);
  }

  parseAll(): CelNode {
    const e = this.expr();
    const t = this.peek();
    if (t.k !== 'eof') throw new CelCompileError(`Syntax error: unexpected '${t.v}' at position ${t.pos}`);
    return e;
  }

  expr(): CelNode {
    const c = this.or();
    if (!this.isOp('?')) return c;
    this.next();
    const a = this.or();
    this.expect(':');
    const b = this.expr();
    return { t: 'cond', c, a, b };
  }

  private or(): CelNode {
    let l = this.and();
    while (this.isOp('||')) { this.next(); l = { t: 'binary', op: '||', l, r: this.and() }; }
    return l;
  }

  private and(): CelNode {
    let l = this.relation();
    while (this.isOp('&&')) { this.next(); l = { t: 'binary', op: '&&', l, r: this.relation() }; }
    return l;
  }

  private relation(): CelNode {
    let l = this.addition();
    for (;;) {
      const t = this.peek();
      const op = (t.k === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.v)) || (t.k === 'id' && t.v === 'in') ? t.v as BinaryOp : undefined;
      if (!op) return l;
      this.next();
      l = { t: 'binary', op, l, r: this.addition() };
    }
  }

  private addition(): CelNode {
    let l = this.multiplication();
    while (this.isOp('+') || this.isOp('-')) { const op = this.next().v as BinaryOp; l = { t: 'binary', op, l, r: this.multiplication() }; }
    return l;
  }

  private multiplication(): CelNode {
    let l = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) { const op = this.next().v as BinaryOp; l = { t: 'binary', op, l, r: this.unary() }; }
    return l;
  }

  private unary(): CelNode {
    if (this.isOp('!')) { this.next(); return { t: 'unary', op: '!', arg: this.unary() }; }
    if (this.isOp('-')) {
      this.next();
      const t = this.peek();
      if (t.k === 'num' && typeof t.val !== 'object') { this.next(); const v = t.val as bigint | number; return this.postfix({ t: 'lit', v: -v }); }
      return { t: 'unary', op: '-', arg: this.unary() };
    }
    return this.postfix(this.primary());
  }

  private args(): CelNode[] {
    const out: CelNode[] = [];
    this.expect('(');
    if (!this.isOp(')')) {
      out.push(this.expr());
      while (this.isOp(',')) { this.next(); out.push(this.expr()); }
    }
    this.expect(')');
    return out;
  }

  private postfix(start: CelNode): CelNode {
    let n = start;
    for (;;) {
      if (this.isOp('.')) {
        this.next();
        const id = this.next();
        if (id.k !== 'id') throw new CelCompileError(`Syntax error: expected identifier at position ${id.pos}`);
        if (this.isOp('(')) {
          const args = this.args();
          if (MACROS.has(id.v) && (args.length === 2 || (id.v === 'map' && args.length === 3))) {
            const v = args[0];
            if (v.t !== 'ident') throw new CelCompileError(`${id.v}() variable name must be a simple identifier`);
            const macro = id.v as 'all' | 'exists' | 'exists_one' | 'map' | 'filter';
            n = args.length === 3
              ? { t: 'macro', fn: macro, target: n, v: v.name, mapFilter: args[1], body: args[2] }
              : { t: 'macro', fn: macro, target: n, v: v.name, body: args[1] };
          } else {
            n = { t: 'call', fn: id.v, target: n, args };
          }
        } else {
          n = { t: 'select', obj: n, field: id.v };
        }
      } else if (this.isOp('[')) {
        this.next();
        const index = this.expr();
        this.expect(']');
        n = { t: 'index', obj: n, index };
      } else {
        return n;
      }
    }
  }

  private primary(): CelNode {
    const t = this.next();
    if (t.k === 'num') return { t: 'lit', v: t.val as bigint | number | CelUint };
    if (t.k === 'str') return { t: 'lit', v: t.val as string };
    if (t.k === 'id') {
      if (t.v === 'true' || t.v === 'false') return { t: 'lit', v: t.v === 'true' };
      if (t.v === 'null') return { t: 'lit', v: null };
      if (this.isOp('(')) {
        const args = this.args();
        if (t.v === 'has') {
          const a = args[0];
          if (args.length !== 1 || a.t !== 'select') throw new CelCompileError('invalid argument to has() macro');
          return { t: 'has', obj: a.obj, field: a.field };
        }
        return { t: 'call', fn: t.v, args };
      }
      return { t: 'ident', name: t.v };
    }
    if (t.k === 'op' && t.v === '(') { const e = this.expr(); this.expect(')'); return e; }
    if (t.k === 'op' && t.v === '[') {
      const items: CelNode[] = [];
      while (!this.isOp(']')) {
        items.push(this.expr());
        if (!this.isOp(',')) break;
        this.next();
      }
      this.expect(']');
      return { t: 'list', items };
    }
    if (t.k === 'op' && t.v === '{') {
      const entries: Array<[CelNode, CelNode]> = [];
      while (!this.isOp('}')) {
        const k = this.expr();
        this.expect(':');
        entries.push([k, this.expr()]);
        if (!this.isOp(',')) break;
        this.next();
      }
      this.expect('}');
      return { t: 'map', entries };
    }
    throw new CelCompileError(`Syntax error: mismatched input '${t.v || '<EOF>'}' at position ${t.pos}`);
  }
}

export function parseCel(src: string): CelNode {
  return new Parser(tokenize(src)).parseAll();
}

