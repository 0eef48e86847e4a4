import { absorb, type SparseChain } from './absorb.js';
import { type PathTable, type PathWeights, pathCodes } from './paths.js';

/**
 * A k-th order Markov chain over paths, built as the R package ChannelAttribution builds it: a
 * path's states are its windows of k consecutive labels sliding by one (a path shorter than k
 * is one state), consecutive equal states are merged, and every path starts at "(start)" and
 * ends in "(conversion)" or "(null)". State 0 is "(start)".
 */
export interface MarkovChain extends SparseChain {
  readonly order: number;
  /** Labels (as codes) of each state's window; the start state's is empty. */
  readonly windows: readonly Uint8Array[];
  /** Bit c set when the state's window holds label code c. */
  readonly masks: Uint32Array;
  /** Per path: its transitions (indices into `to`, repeated when a path repeats one) and last state. */
  readonly pathEdgeStart: Uint32Array;
  readonly pathEdges: Uint32Array;
  readonly pathLast: Uint32Array;
  /** The state each transition leaves. */
  readonly from: Uint32Array;
}

/** A fitted chain: conversion probability and value, removal effects, and the credit they give. */
export interface MarkovFit {
  readonly conversionProbability: number;
  readonly expectedValue: number;
  /** Per label code: 1 − P(conversion without it) / P(conversion); the same on value. */
  readonly removalEffects: Float64Array;
  readonly removalEffectsValue: Float64Array;
  /** Observed conversions and value shared in proportion to the removal effects. */
  readonly conversions: Float64Array;
  readonly value: Float64Array;
  /** Transition probabilities, aligned with `chain.to` / `chain.from`. */
  readonly probabilities: Float64Array;
  /** Per state: probability of converting and of the null state in one step. */
  readonly toConversion: Float64Array;
  readonly toNull: Float64Array;
}

function windowsOf(codes: Uint8Array, order: number): Uint8Array[] {
  if (codes.length <= order) return [codes];
  const out: Uint8Array[] = [];
  for (let i = 0; i + order <= codes.length; i++) out.push(codes.subarray(i, i + order));
  return out;
}

interface Builder {
  readonly states: Map<string, number>;
  readonly windows: Uint8Array[];
  readonly edges: Map<number, number>;
  readonly edgeFrom: number[];
  readonly edgeTo: number[];
  readonly depth: number[];
}

function stateId(b: Builder, w: Uint8Array, depth: number): number {
  const key = String.fromCharCode(...w);
  let id = b.states.get(key);
  if (id === undefined) {
    id = b.windows.length;
    b.states.set(key, id);
    b.windows.push(w);
    b.depth.push(depth);
  }
  b.depth[id] = Math.min(b.depth[id] as number, depth);
  return id;
}

function edgeId(b: Builder, from: number, to: number): number {
  const key = from * 0x100000 + to;
  let id = b.edges.get(key);
  if (id === undefined) {
    id = b.edgeFrom.length;
    b.edges.set(key, id);
    b.edgeFrom.push(from);
    b.edgeTo.push(to);
  }
  return id;
}

/** Builds the order-k chain's states and transitions from the distinct paths. */
export function buildChain(table: PathTable, order: number): MarkovChain {
  const b: Builder = {
    states: new Map(),
    windows: [],
    edges: new Map(),
    edgeFrom: [],
    edgeTo: [],
    depth: [],
  };
  stateId(b, new Uint8Array(0), 0);
  const pathEdges: number[] = [];
  const pathEdgeStart = new Uint32Array(table.count + 1);
  const pathLast = new Uint32Array(table.count);
  for (let p = 0; p < table.count; p++) {
    let prev = 0;
    let step = 0;
    for (const w of windowsOf(pathCodes(table, p), order)) {
      const s = stateId(b, w, ++step);
      if (s === prev) continue;
      pathEdges.push(edgeId(b, prev, s));
      prev = s;
    }
    pathLast[p] = prev;
    pathEdgeStart[p + 1] = pathEdges.length;
  }
  return packChain(b, order, pathEdgeStart, Uint32Array.from(pathEdges), pathLast);
}

function packChain(
  b: Builder,
  order: number,
  pathEdgeStart: Uint32Array,
  raw: Uint32Array,
  pathLast: Uint32Array,
): MarkovChain {
  const n = b.windows.length;
  // CSR by the state a transition leaves; pathEdges are renumbered into CSR positions.
  const rowStart = new Uint32Array(n + 1);
  for (const f of b.edgeFrom) rowStart[f + 1] = (rowStart[f + 1] as number) + 1;
  for (let s = 0; s < n; s++) rowStart[s + 1] = (rowStart[s + 1] as number) + (rowStart[s] as number);
  const fill = rowStart.slice(0, n);
  const csrOf = new Uint32Array(b.edgeFrom.length);
  const to = new Uint32Array(b.edgeFrom.length);
  const from = new Uint32Array(b.edgeFrom.length);
  b.edgeFrom.forEach((f, e) => {
    const at = fill[f] as number;
    fill[f] = at + 1;
    csrOf[e] = at;
    to[at] = b.edgeTo[e] as number;
    from[at] = f;
  });
  const masks = new Uint32Array(n);
  b.windows.forEach((w, s) => {
    for (const c of w) masks[s] = ((masks[s] as number) | (1 << c)) >>> 0;
  });
  const sweep = Uint32Array.from(
    [...Array(n).keys()].sort((x, y) => (b.depth[y] as number) - (b.depth[x] as number)),
  );
  return {
    order,
    states: n,
    rowStart,
    to,
    from,
    sweep,
    windows: b.windows,
    masks,
    pathEdgeStart,
    pathEdges: raw.map((e) => csrOf[e] as number),
    pathLast,
  };
}

/** Fits transition probabilities to path weights and computes every label's removal effect. */
export function fitChain(chain: MarkovChain, w: PathWeights, labels: number): MarkovFit {
  const flow = new Float64Array(chain.to.length);
  const conv = new Float64Array(chain.states);
  const nul = new Float64Array(chain.states);
  const val = new Float64Array(chain.states);
  for (let p = 0; p < chain.pathLast.length; p++) {
    const c = w.conversions[p] as number;
    const total = c + (w.nulls[p] as number);
    if (total === 0) continue;
    for (let k = chain.pathEdgeStart[p] as number; k < (chain.pathEdgeStart[p + 1] as number); k++) {
      const e = chain.pathEdges[k] as number;
      flow[e] = (flow[e] as number) + total;
    }
    const last = chain.pathLast[p] as number;
    conv[last] = (conv[last] as number) + c;
    nul[last] = (nul[last] as number) + (w.nulls[p] as number);
    val[last] = (val[last] as number) + (w.value[p] as number);
  }
  const out = new Float64Array(chain.states);
  for (let e = 0; e < flow.length; e++) {
    const f = chain.from[e] as number;
    out[f] = (out[f] as number) + (flow[e] as number);
  }
  for (let s = 0; s < chain.states; s++)
    out[s] = (out[s] as number) + (conv[s] as number) + (nul[s] as number);
  const q = flow.map((f, e) => (f === 0 ? 0 : f / (out[chain.from[e] as number] as number)));
  const r = conv.map((c, s) => (out[s] === 0 ? 0 : c / (out[s] as number)));
  const rv = val.map((v, s) => (out[s] === 0 ? 0 : v / (out[s] as number)));
  return removal(
    chain,
    q,
    r,
    rv,
    nul.map((n, s) => (out[s] === 0 ? 0 : n / (out[s] as number))),
    w,
    labels,
  );
}

function sum(a: Float64Array): number {
  let s = 0;
  for (const x of a) s += x;
  return s;
}

function removal(
  chain: MarkovChain,
  q: Float64Array,
  r: Float64Array,
  rv: Float64Array,
  toNull: Float64Array,
  w: PathWeights,
  labels: number,
): MarkovFit {
  const [x, y] = absorb(chain, q, r, rv, () => false);
  const p = x[0] as number;
  const v = y[0] as number;
  const re = new Float64Array(labels);
  const rev = new Float64Array(labels);
  let present = 0;
  for (const m of chain.masks) present = (present | m) >>> 0;
  for (let c = 0; c < labels; c++) {
    if (((present >>> c) & 1) === 0) continue;
    const bit = 1 << c;
    const [xc, yc] = absorb(chain, q, r, rv, (s) => ((chain.masks[s] as number) & bit) !== 0);
    re[c] = p > 0 ? 1 - (xc[0] as number) / p : 0;
    rev[c] = v > 0 ? 1 - (yc[0] as number) / v : 0;
  }
  const share = (effects: Float64Array, total: number) => {
    const s = sum(effects);
    return effects.map((e) => (s > 0 ? (total * e) / s : 0));
  };
  return {
    conversionProbability: p,
    expectedValue: v,
    removalEffects: re,
    removalEffectsValue: rev,
    conversions: share(re, sum(w.conversions)),
    value: share(rev, sum(w.value)),
    probabilities: q,
    toConversion: r,
    toNull,
  };
}
