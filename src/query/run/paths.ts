import { planPaths } from '../plan/planner.js';
import type { PathsSpec } from '../spec/insights.js';
import { dateRangeOf, type ResolvedDateRange, type RunContext, runPlan } from './context.js';

/** A Sankey link: `step` is the 1-based position of `from` in the path. */
export interface PathTransition {
  readonly step: number;
  readonly from: string;
  readonly to: string;
  readonly units: number;
}

/** Paths: top transitions, the most common paths, loops and dead ends. */
export interface PathsResult {
  readonly kind: 'paths';
  readonly dateRange: ResolvedDateRange;
  readonly timeZone: string;
  readonly countBy: string;
  readonly units: number;
  readonly transitions: readonly PathTransition[];
  readonly topPaths: readonly { readonly path: readonly string[]; readonly units: number }[];
  readonly loops: {
    readonly units: number;
    readonly top: readonly { readonly event: string; readonly units: number }[];
  };
  readonly deadEnds: {
    readonly units: number;
    readonly top: readonly {
      readonly path: readonly string[];
      readonly reason: 'loop' | 'error';
      readonly units: number;
    }[];
  };
}

interface PathRow {
  readonly path: readonly string[];
  readonly ends: boolean;
  readonly units: number;
}

/** The first event a path returns to after leaving it, or null (ARCHITECTURE.md paths: a loop). */
function loopEvent(path: readonly string[]): string | null {
  const seen = new Set<string>();
  for (const e of path) {
    if (seen.has(e)) return e;
    seen.add(e);
  }
  return null;
}

function top<T>(m: Map<string, T & { units: number }>, n: number): (T & { units: number })[] {
  return [...m.values()].sort((a, b) => b.units - a.units).slice(0, n);
}

function bump<T extends { units: number }>(
  m: Map<string, T>,
  key: string,
  make: () => T,
  units: number,
): void {
  const v = m.get(key) ?? make();
  v.units += units;
  m.set(key, v);
}

/**
 * Runs paths. Repeats are already collapsed, so an event seen twice in a path is a loop. A
 * dead end is a unit whose events stop right after a loop or at an error event.
 */
export async function runPaths(ctx: RunContext, spec: PathsSpec): Promise<PathsResult> {
  const rows = (await runPlan(ctx, planPaths(spec, ctx.plan))).map(
    (r): PathRow => ({ path: (r.path as string[]) ?? [], ends: r.ends === true, units: Number(r.units) }),
  );
  const errors = new Set(spec.errorEvents ?? []);
  const n = spec.topTransitions ?? 50;
  const links = new Map<string, PathTransition & { units: number }>();
  const paths = new Map<string, { path: readonly string[]; units: number }>();
  const loops = new Map<string, { event: string; units: number }>();
  const dead = new Map<string, { path: readonly string[]; reason: 'loop' | 'error'; units: number }>();
  let units = 0;
  let loopUnits = 0;
  let deadUnits = 0;
  for (const r of rows) {
    units += r.units;
    bump(paths, JSON.stringify(r.path), () => ({ path: r.path, units: 0 }), r.units);
    r.path.slice(1).forEach((to, i) => {
      const from = r.path[i] as string;
      bump(links, JSON.stringify([i, from, to]), () => ({ step: i + 1, from, to, units: 0 }), r.units);
    });
    const loop = loopEvent(r.path);
    if (loop !== null) {
      loopUnits += r.units;
      bump(loops, loop, () => ({ event: loop, units: 0 }), r.units);
    }
    const last = r.path[r.path.length - 1];
    const lastIsLoop = last !== undefined && r.path.indexOf(last) < r.path.length - 1;
    const reason = errors.has(last ?? '') ? 'error' : lastIsLoop ? 'loop' : null;
    if (r.ends && reason) {
      deadUnits += r.units;
      bump(dead, JSON.stringify(r.path), () => ({ path: r.path, reason, units: 0 }), r.units);
    }
  }
  return {
    kind: 'paths',
    dateRange: dateRangeOf(ctx.plan),
    timeZone: ctx.plan.timeZone,
    countBy: spec.countBy ?? 'session',
    units,
    transitions: top(links, n).sort((a, b) => a.step - b.step || b.units - a.units),
    topPaths: top(paths, n),
    loops: { units: loopUnits, top: top(loops, n) },
    deadEnds: { units: deadUnits, top: top(dead, n) },
  };
}
