/**
 * The syntax tree of the CEL subset keks evaluates for `x-kubernetes-validations` rules
 * (github.com/google/cel-spec/doc/langdef.md: expressions, no comprehensions macros beyond
 * all/exists/exists_one/map/filter). Built by parser.ts, checked by check.ts, run by eval.ts.
 */

export type CelNode =
  | { t: 'lit'; v: CelValue }
  | { t: 'ident'; name: string }
  | { t: 'select'; obj: CelNode; field: string }
  | { t: 'index'; obj: CelNode; index: CelNode }
  | { t: 'call'; fn: string; target?: CelNode; args: CelNode[] }
  | { t: 'has'; obj: CelNode; field: string }
  | { t: 'macro'; fn: 'all' | 'exists' | 'exists_one' | 'map' | 'filter'; target: CelNode; v: string; body: CelNode; mapFilter?: CelNode }
  | { t: 'unary'; op: '!' | '-'; arg: CelNode }
  | { t: 'binary'; op: BinaryOp; l: CelNode; r: CelNode }
  | { t: 'cond'; c: CelNode; a: CelNode; b: CelNode }
  | { t: 'list'; items: CelNode[] }
  | { t: 'map'; entries: Array<[CelNode, CelNode]> };

export type BinaryOp = '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | '+' | '-' | '*' | '/' | '%';

/** CEL integers are int64; uint and int are kept apart by a wrapper so `1u != 1` type-checks as upstream errors would. */
export class CelUint {
  constructor(readonly v: bigint) {}
}

/** A duration in nanoseconds (google.protobuf.Duration). */
export class CelDuration {
  constructor(readonly ns: bigint) {}
}

/** A timestamp in milliseconds since the epoch (google.protobuf.Timestamp, ms precision here). */
export class CelTimestamp {
  constructor(readonly ms: number) {}
}

/** Runtime values: int = bigint, double = number, JSON objects are maps. */
export type CelValue =
  | null | boolean | bigint | number | string | CelUint | CelDuration | CelTimestamp
  | CelValue[] | { [k: string]: CelValue };

/** A rule that failed to evaluate (no such key, type mismatch, ...): upstream reports it as an Invalid error. */
export class CelEvalError extends Error {}

/** A rule outside the supported subset or not well formed: the CRD is rejected naming the rule. */
export class CelCompileError extends Error {}
