import { useMemo } from 'react';
import { Chart } from '../charts/chart';
import { type EChartsOption, PALETTE } from '../charts/echarts';
import { stepSankeyOption } from '../charts/step-sankey';
import { fmtInt } from '../format';
import type { PathsResult } from '../types';

/** The same event has the same color at every step (black and yellow are left out: labels). */
const NODE_COLORS = PALETTE.filter((c) => c !== '#000000' && c !== '#f0e442');
function colorOf(event: string): string {
  let h = 0;
  for (const ch of event) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return NODE_COLORS[h % NODE_COLORS.length] ?? '#2563eb';
}

function sankeyOption(result: PathsResult): EChartsOption {
  const links = result.transitions.map((t) => ({ step: t.step, from: t.from, to: t.to, value: t.units }));
  return stepSankeyOption(links, colorOf, 120);
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
