import { useMemo } from 'react';
import { Chart } from '../charts/chart';
import { type EChartsOption, PALETTE } from '../charts/echarts';
import { fmtInt } from '../format';
import type { PathsResult } from '../types';

/** The same event has the same color at every step (black and yellow are left out: labels). */
const NODE_COLORS = PALETTE.filter((c) => c !== '#000000' && c !== '#f0e442');
function colorOf(event: string): string {
  let h = 0;
  for (const ch of event) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return NODE_COLORS[h % NODE_COLORS.length] ?? '#2563eb';
}

/** Sankey nodes are per step (`2·signup`), so a path that returns to an event draws no cycle. */
function sankeyOption(result: PathsResult): EChartsOption {
  const nodes = new Map<string, { name: string; depth: number; itemStyle: { color: string } }>();
  const links = result.transitions.map((t) => {
    const source = `${t.step}·${t.from}`;
    const target = `${t.step + 1}·${t.to}`;
    nodes.set(source, { name: source, depth: t.step - 1, itemStyle: { color: colorOf(t.from) } });
    nodes.set(target, { name: target, depth: t.step, itemStyle: { color: colorOf(t.to) } });
    return { source, target, value: t.units };
  });
  return {
    tooltip: { trigger: 'item' },
    series: [
      {
        type: 'sankey',
        data: [...nodes.values()],
        links,
        nodeAlign: 'left',
        emphasis: { focus: 'adjacency' },
        lineStyle: { color: 'gradient', opacity: 0.35 },
        label: { formatter: (p: { name: string }) => p.name.slice(p.name.indexOf('·') + 1) },
        left: 8,
        right: 120,
      },
    ],
  };
}

/** Paths: a Sankey of the top transitions per step, and the most common paths. */
export function PathsView({ result, isCompact }: { result: PathsResult; isCompact?: boolean }) {
  const option = useMemo(() => sankeyOption(result), [result]);
  return (
    <div className="paths-view">
      <p className="headline">
        <strong>{fmtInt(result.units)}</strong> {result.countBy === 'person' ? 'persons' : 'sessions'} ·{' '}
        {fmtInt(result.loops.units)} loop back · {fmtInt(result.deadEnds.units)} dead-end
      </p>
      <Chart option={option} label="Paths Sankey diagram" height={isCompact ? 260 : 440} />
      {!isCompact && (
        <table className="data-table" aria-label="Top paths">
          <thead>
            <tr>
              <th scope="col">Path</th>
              <th scope="col">Units</th>
            </tr>
          </thead>
          <tbody>
            {result.topPaths.slice(0, 20).map((p) => (
              <tr key={p.path.join('→')}>
                <td>{p.path.join(' → ')}</td>
                <td className="num">{fmtInt(p.units)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
