/**
 * The label selector grammar of k8s.io/apimachinery/pkg/labels/selector.go (`Parse`): its lexer
 * (whitespace, the special symbols = ! ( ) , > <, keywords in/notin) and recursive-descent parser,
 * with upstream's error texts.
 */
import { fieldErrString, NIL_PATH, newRequirement, sortedSet, validateKey, type Compiled, type LabelOperator } from './label-requirement.js';

// ---------------------------------------------------------------------------------------------
// Lexer (byte-wise in Go; every special symbol and whitespace is ASCII, so code units suffice)

const enum Tok { EOS, ClosedPar, Comma, DoesNotExist, DoubleEquals, Equals, GreaterThan, Identifier, In, LessThan, NotEquals, NotIn, OpenPar }

const STRING_TO_TOKEN: ReadonlyMap<string, Tok> = new Map([
  [')', Tok.ClosedPar], [',', Tok.Comma], ['!', Tok.DoesNotExist], ['==', Tok.DoubleEquals], ['=', Tok.Equals],
  ['>', Tok.GreaterThan], ['in', Tok.In], ['<', Tok.LessThan], ['!=', Tok.NotEquals], ['notin', Tok.NotIn], ['(', Tok.OpenPar],
]);

function isWhitespace(c: string): boolean { return c === ' ' || c === '\t' || c === '\r' || c === '\n'; }
function isSpecial(c: string): boolean {
  return c === '=' || c === '!' || c === '(' || c === ')' || c === ',' || c === '>' || c === '<';
}

interface Item { tok: Tok; lit: string }

function lex(s: string): Item[] {
  const items: Item[] = [];
  // Go's reader returns byte 0 at the end of input, so an embedded NUL also ends the input.
  const nul = s.indexOf('\0');
  const end = nul >= 0 ? nul : s.length;
  let pos = 0;
  for (;;) {
    while (pos < end && isWhitespace(s[pos]!)) pos++;
    if (pos >= end) { items.push({ tok: Tok.EOS, lit: '' }); return items; }
    const c = s[pos]!;
    if (isSpecial(c)) {
      // Maximal munch among the known symbol tokens ("==" and "!=" are the only two-char ones).
      const two = s.slice(pos, pos + 2);
      if (pos + 1 < end && (two === '==' || two === '!=')) { items.push({ tok: STRING_TO_TOKEN.get(two)!, lit: two }); pos += 2; }
      else { items.push({ tok: STRING_TO_TOKEN.get(c)!, lit: c }); pos += 1; }
      continue;
    }
    const start = pos;
    while (pos < end && !isSpecial(s[pos]!) && !isWhitespace(s[pos]!)) pos++;
    const lit = s.slice(start, pos);
    const kw = STRING_TO_TOKEN.get(lit);
    items.push({ tok: kw ?? Tok.Identifier, lit });
  }
}

// ---------------------------------------------------------------------------------------------
// Parser

export class ParseError extends Error {}

class Parser {
  private pos = 0;
  constructor(private readonly items: Item[]) {}

  /** In the Values context the keywords in/notin are ordinary identifiers. */
  private look(values: boolean): Item {
    const it = this.items[this.pos]!;
    return values && (it.tok === Tok.In || it.tok === Tok.NotIn) ? { tok: Tok.Identifier, lit: it.lit } : it;
  }
  private take(values: boolean): Item {
    const it = this.look(values);
    this.pos++;
    return it;
  }

  parse(): Compiled[] {
    const reqs: Compiled[] = [];
    for (;;) {
      const { tok, lit } = this.look(true);
      if (tok === Tok.Identifier || tok === Tok.DoesNotExist) {
        let r: Compiled;
        try {
          r = this.parseRequirement();
        } catch (e) {
          if (e instanceof ParseError) throw new ParseError(`unable to parse requirement: ${e.message}`);
          throw e;
        }
        reqs.push(r);
        const t = this.take(true);
        if (t.tok === Tok.EOS) return reqs;
        if (t.tok === Tok.Comma) {
          const t2 = this.look(true);
          if (t2.tok !== Tok.Identifier && t2.tok !== Tok.DoesNotExist) throw new ParseError(`found '${t2.lit}', expected: identifier after ','`);
          continue;
        }
        throw new ParseError(`found '${t.lit}', expected: ',' or 'end of string'`);
      }
      if (tok === Tok.EOS) return reqs;
      throw new ParseError(`found '${lit}', expected: !, identifier, or 'end of string'`);
    }
  }

  private parseRequirement(): Compiled {
    let op: LabelOperator | undefined;
    let t = this.take(true);
    if (t.tok === Tok.DoesNotExist) { op = '!'; t = this.take(true); }
    if (t.tok !== Tok.Identifier) throw new ParseError(`found '${t.lit}', expected: identifier`);
    const key = t.lit;
    const ke = validateKey(key, NIL_PATH);
    if (ke) throw new ParseError(fieldErrString(ke));
    const next = this.look(true).tok;
    if ((next === Tok.EOS || next === Tok.Comma) && op === undefined) op = 'exists';
    if (op === 'exists' || op === '!') return this.build(key, op, []);

    const o = this.take(false);
    let bop: LabelOperator;
    switch (o.tok) {
      case Tok.In: bop = 'in'; break;
      case Tok.Equals: bop = '='; break;
      case Tok.DoubleEquals: bop = '=='; break;
      case Tok.GreaterThan: bop = 'gt'; break;
      case Tok.LessThan: bop = 'lt'; break;
      case Tok.NotIn: bop = 'notin'; break;
      case Tok.NotEquals: bop = '!='; break;
      default: throw new ParseError(`found '${o.lit}', expected: in, notin, =, ==, !=, gt, lt`);
    }
    const values = bop === 'in' || bop === 'notin' ? this.parseValues() : this.parseExactValue();
    return this.build(key, bop, sortedSet(values));
  }

  private build(key: string, op: LabelOperator, values: string[]): Compiled {
    const r = newRequirement(key, op, values);
    if (typeof r === 'string') throw new ParseError(r);
    return r;
  }

  private parseValues(): string[] {
    const t = this.take(true);
    if (t.tok !== Tok.OpenPar) throw new ParseError(`found '${t.lit}' expected: '('`);
    const { tok, lit } = this.look(true);
    if (tok === Tok.Identifier || tok === Tok.Comma) {
      const s = this.parseIdentifiersList();
      // Upstream reports the literal seen before the list here, not the offending one.
      if (this.take(true).tok !== Tok.ClosedPar) throw new ParseError(`found '${lit}', expected: ')'`);
      return s;
    }
    if (tok === Tok.ClosedPar) { this.take(true); return ['']; }
    throw new ParseError(`found '${lit}', expected: ',', ')' or identifier`);
  }

  private parseIdentifiersList(): string[] {
    const s: string[] = [];
    for (;;) {
      const t = this.take(true);
      if (t.tok === Tok.Identifier) {
        s.push(t.lit);
        const t2 = this.look(true);
        if (t2.tok === Tok.Comma) continue;
        if (t2.tok === Tok.ClosedPar) return s;
        throw new ParseError(`found '${t2.lit}', expected: ',' or ')'`);
      }
      if (t.tok === Tok.Comma) {
        if (s.length === 0) s.push('');
        const t2 = this.look(true).tok;
        if (t2 === Tok.ClosedPar) { s.push(''); return s; }
        if (t2 === Tok.Comma) { this.take(true); s.push(''); }
        continue;
      }
      throw new ParseError(`found '${t.lit}', expected: ',', or identifier`);
    }
  }

  private parseExactValue(): string[] {
    const la = this.look(true).tok;
    if (la === Tok.EOS || la === Tok.Comma) return [''];
    const t = this.take(true);
    if (t.tok === Tok.Identifier) return [t.lit];
    throw new ParseError(`found '${t.lit}', expected: identifier`);
  }
}


/** Parses `s` into requirements (unsorted); throws ParseError with upstream's message. */
export function parseRequirements(s: string): Compiled[] {
  return new Parser(lex(s)).parse();
}
