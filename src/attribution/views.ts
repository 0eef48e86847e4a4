import { type PathTable, type PathWeights, pathCodes } from './paths.js';
import type { SankeyLink, TopJourney } from './result.js';

/** Journey positions a Sankey shows; longer journeys end in "(continues)". */
export const SANKEY_STEPS = 5;
const SANKEY_LINKS = 200;

/** Code-unit order, the same on every machine and locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The most frequent paths with their conversions. */

export function topJourneys(
  t: PathTable,
  w: PathWeights,
  labels: readonly string[],
  n: number,
): TopJourney[] {
  // Ties are broken by conversions, then by the path's text: path numbers follow the order
  // journeys were read in, which parallel scans do not fix.
  const order = [...Array(t.count).keys()]
    .map((p) => ({
      p,
      journeys: (w.conversions[p] as number) + (w.nulls[p] as number),
      path: [...pathCodes(t, p)].map((c) => labels[c] as string),
    }))
    .filter((x) => x.journeys > 0)
    .sort(
      (a, b) =>
        b.journeys - a.journeys ||
        (w.conversions[b.p] as number) - (w.conversions[a.p] as number) ||
        compareText(a.path.join('\u0000'), b.path.join('\u0000')),
    )
    .slice(0, n);
  return order.map(({ p, journeys, path }) => ({
    path,
    journeys,
    conversions: w.conversions[p] as number,
    conversionRate: (w.conversions[p] as number) / journeys,
    value: w.value[p] as number,
  }));
}

/**
 * Links between consecutive touch positions 1 … SANKEY_STEPS, and from a journey's last shown
 * touch to "(conversion)", "(no conversion)" or "(continues)"; the heaviest links are kept.
 */
export function sankeyLinks(t: PathTable, w: PathWeights, labels: readonly string[]): SankeyLink[] {
  const links = new Map<
    string,
    { step: number; from: string; to: string; journeys: number; conversions: number }
  >();
  const add = (step: number, from: string, to: string, n: number, c: number) => {
    const key = `${step}\u0000${from}\u0000${to}`;
    const l = links.get(key) ?? { step, from, to, journeys: 0, conversions: 0 };
    l.journeys += n;
    l.conversions += c;
    links.set(key, l);
  };
  for (let p = 0; p < t.count; p++) {
    const c = w.conversions[p] as number;
    const n = c + (w.nulls[p] as number);
    if (n === 0) continue;
    const codes = pathCodes(t, p);
    const shown = Math.min(codes.length, SANKEY_STEPS);
    for (let i = 0; i + 1 < shown; i++)
      add(i + 1, labels[codes[i] as number] as string, labels[codes[i + 1] as number] as string, n, c);
    const end = codes.length > SANKEY_STEPS ? '(continues)' : c > 0 && n === c ? '(conversion)' : null;
    const last = labels[codes[shown - 1] as number] as string;
    if (end !== null) add(shown, last, end, n, c);
    else {
      if (c > 0) add(shown, last, '(conversion)', c, c);
      add(shown, last, '(no conversion)', n - c, 0);
    }
  }
  return [...links.values()]
    .sort(
      (a, b) =>
        b.journeys - a.journeys || a.step - b.step || compareText(a.from, b.from) || compareText(a.to, b.to),
    )
    .slice(0, SANKEY_LINKS)
    .sort(
      (a, b) =>
        a.step - b.step || b.journeys - a.journeys || compareText(a.from, b.from) || compareText(a.to, b.to),
    );
}
