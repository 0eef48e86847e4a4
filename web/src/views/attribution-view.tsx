import { useMemo } from 'react';
import type { AttributionResult } from '../analysis-types';
import { Chart } from '../charts/chart';
import { type EChartsOption, PALETTE } from '../charts/echarts';
import { stepSankeyOption } from '../charts/step-sankey';
import { fmtInt, fmtNum, fmtPct } from '../format';

function creditOption(result: AttributionResult): EChartsOption {
  const channels = result.comparison.map((c) => c.channel);
  return {
    // Nine models by default: one more color than the palette, so Shapley does not repeat first touch.
    color: [...PALETTE, '#7c3aed', '#64748b'],
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { type: 'scroll', top: 0 },
    grid: { left: 48, right: 16, top: 48, bottom: 56, containLabel: true },
    xAxis: {
      type: 'category',
      data: channels,
      axisLabel: { interval: 0, rotate: channels.length > 6 ? 30 : 0 },
    },
    yAxis: { type: 'value', name: 'credited conversions' },
    series: result.models.map((m) => ({
      name: m.name,
      type: 'bar',
      data: result.comparison.map((c) => Number((c.conversions[m.id] ?? 0).toFixed(2))),
    })),
  };
}

/** Ends of a journey in the Sankey: not touch labels, so drawn in gray. */
const ENDS: Record<string, string> = {
  '(conversion)': '#059669',
  '(no conversion)': '#9ca3af',
  '(continues)': '#cbd5e1',
};

/** The top journeys touch by touch: channels in the palette's colors, ends in their own. */
function journeysOption(result: AttributionResult): EChartsOption {
  const colors = new Map(result.channels.map((c, i) => [c, PALETTE[i % PALETTE.length] as string]));
  const links = result.sankey.map((l) => ({ step: l.step, from: l.from, to: l.to, value: l.journeys }));
  return stepSankeyOption(links, (label) => ENDS[label] ?? colors.get(label) ?? '#2563eb', 130);
}

/** Credit per channel for every model: a grouped bar chart and the same numbers in a table. */
export function AttributionView({ result }: { result: AttributionResult }) {
  const option = useMemo(() => creditOption(result), [result]);
  const journeys = useMemo(() => journeysOption(result), [result]);
  const s = result.summary;
  const kpis = [
    ['journeys', 'Journeys', fmtInt(s.journeys)],
    ['converting', 'Converting journeys', fmtInt(s.convertingJourneys)],
    ['attributed', 'Conversions attributed', fmtInt(s.attributedConversions)],
    ['unattributed', 'Conversions without a touch', fmtInt(s.unattributedConversions)],
  ] as const;
  return (
    <div className="attribution-view">
      <dl className="kpis">
        {kpis.map(([id, label, value]) => (
          <div className="kpi" key={id}>
            <dt>{label}</dt>
            <dd data-testid={`attr-kpi-${id}`}>{value}</dd>
          </div>
        ))}
      </dl>
      <Chart
        option={option}
        label="Credited conversions per channel, one bar per model"
        height={Math.max(300, 40 * result.comparison.length)}
      />
      <div className="table-scroll">
        <table className="data-table" aria-label="Credited conversions per channel and model">
          <thead>
            <tr>
              <th scope="col">Channel</th>
              {result.models.map((m) => (
                <th scope="col" key={m.id} title={m.id}>
                  {m.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {result.comparison.map((c) => (
              <tr key={c.channel} data-testid={`attr-row-${c.channel}`}>
                <th scope="row">{c.channel}</th>
                {result.models.map((m) => (
                  <td className="num" key={m.id} data-model={m.id}>
                    {fmtNum(c.conversions[m.id] ?? 0)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {result.recommendation.summary && <p className="muted">{result.recommendation.summary}</p>}
      <h2>Top journeys</h2>
      {result.sankey.length > 0 && (
        <Chart option={journeys} label="Sankey of the top journeys, touch by touch" height={380} />
      )}
      <div className="table-scroll">
        <table className="data-table" aria-label="Top journeys">
          <thead>
            <tr>
              <th scope="col">Journey</th>
              <th scope="col">Journeys</th>
              <th scope="col">Conversions</th>
              <th scope="col">Conversion rate</th>
            </tr>
          </thead>
          <tbody>
            {result.topJourneys.map((j) => (
              <tr key={j.path.join('\u0000')}>
                <td>{j.path.join(' → ')}</td>
                <td className="num">{fmtInt(j.journeys)}</td>
                <td className="num">{fmtInt(j.conversions)}</td>
                <td className="num">{fmtPct(j.conversionRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
