import { PathwiseError } from '../../core/index.js';

type Node =
  | { readonly kind: 'num'; readonly value: number }
  | { readonly kind: 'ref'; readonly index: number }
  | { readonly kind: 'bin'; readonly op: string; readonly left: Node; readonly right: Node };

/** A formula over series letters, compiled once, evaluated per bucket. */
export type Formula = (values: readonly (number | null)[]) => number | null;

function bad(formula: string, reason: string): never {
  throw new PathwiseError('PW_QUERY_INVALID_SPEC', { reason: `formula "${formula}": ${reason}` });
}

/**
 * Parses `A / B * 100`-style formulas (series letters, numbers, + - * /, parentheses) by
 * recursive descent; no `eval`. Division by zero and missing values give null.
 */
export function compileFormula(formula: string, seriesCount: number): Formula {
  const tokens = formula.match(/[A-Z]|\d+(?:\.\d+)?|[-+*/()]/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const primary = (): Node => {
    const t = tokens[i++];
    if (t === undefined) bad(formula, 'ends early');
    if (t === '(') {
      const inner = sum();
      if (tokens[i++] !== ')') bad(formula, 'missing ")"');
      return inner;
    }
    if (/^[A-Z]$/.test(t)) {
      const index = t.charCodeAt(0) - 65;
      if (index >= seriesCount) bad(formula, `no series ${t}`);
      return { kind: 'ref', index };
    }
    if (/^\d/.test(t)) return { kind: 'num', value: Number(t) };
    return bad(formula, `unexpected "${t}"`);
  };
  const product = (): Node => {
    let left = primary();
    while (peek() === '*' || peek() === '/')
      left = { kind: 'bin', op: tokens[i++] as string, left, right: primary() };
    return left;
  };
  const sum = (): Node => {
    let left = product();
    while (peek() === '+' || peek() === '-')
      left = { kind: 'bin', op: tokens[i++] as string, left, right: product() };
    return left;
  };
  const root = sum();
  if (i !== tokens.length) bad(formula, `unexpected "${tokens[i]}"`);
  const evaluate = (n: Node, v: readonly (number | null)[]): number | null => {
    if (n.kind === 'num') return n.value;
    if (n.kind === 'ref') return v[n.index] ?? null;
    const a = evaluate(n.left, v);
    const b = evaluate(n.right, v);
    if (a === null || b === null) return null;
    if (n.op === '+') return a + b;
    if (n.op === '-') return a - b;
    if (n.op === '*') return a * b;
    return b === 0 ? null : a / b;
  };
  return (values) => evaluate(root, values);
}
