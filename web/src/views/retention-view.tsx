import { useMemo } from 'react';
import { Chart } from '../charts/chart';
import type { EChartsOption } from '../charts/echarts';
import { fmtBucket, fmtInt, fmtPct } from '../format';
import type { RetentionResult } from '../types';

/** Cell background: the retention rate on a white → blue scale (text turns white past 55%). */
function cellStyle(rate: number | null) {
  if (rate === null) return { background: '#f8fafc' };
  const a = Math.max(0.04, Math.min(1, rate));
  return { background: `rgba(37, 99, 235, ${a.toFixed(3)})`, color: a > 0.55 ? '#fff' : '#0f172a' };
}

function curveOption(result: RetentionResult): EChartsOption {
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => fmtPct(v === null ? null : Number(v)) },
    grid: { left: 48, right: 16, top: 16, bottom: 32 },
    xAxis: { type: 'category', data: result.average.map((_, i) => `${result.period} ${i}`) },
    yAxis: { type: 'value', max: 1, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
    series: [{ name: 'Average retention', type: 'line', data: result.average, smooth: false }],
  };
}

/** The cohort table as a heatmap: rows are cohorts, columns periods, cells the share retained. */
function Heatmap({ result }: { result: RetentionResult }) {
  const periods = result.average.length;
  return (
    <div className="table-scroll">
      <table className="data-table heatmap" aria-label="Retention by cohort">
        <thead>
          <tr>
            <th scope="col">Cohort</th>
            <th scope="col">Size</th>
            {Array.from({ length: periods }, (_, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: periods are positions
              <th scope="col" key={i}>{`${result.period} ${i}`}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr className="average">
            <th scope="row">Average</th>
            <td className="num" />
            {result.average.map((r, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: periods are positions
              <td className="num" key={i} style={cellStyle(r)}>
                {fmtPct(r)}
              </td>
            ))}
          </tr>
          {result.cohorts.map((c) => (
            <tr key={c.cohort} data-cohort={c.cohort}>
              <th scope="row">{fmtBucket(c.cohort)}</th>
              <td className="num" data-testid="ret-size">
                {fmtInt(c.size)}
              </td>
              {c.retained.map((n, i) => (
                <td
                  // biome-ignore lint/suspicious/noArrayIndexKey: periods are positions
                  key={i}
                  className="num cell"
                  style={cellStyle(c.rates[i] ?? null)}
                  data-retained={n ?? ''}
                  title={n === null ? 'not yet known' : `${fmtInt(n)} of ${fmtInt(c.size)}`}
                >
                  {n === null ? '' : fmtPct(c.rates[i] ?? null)}
                  {n !== null && <span className="cell-count">{fmtInt(n)}</span>}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A retention result: the retention curve (weighted average) and the cohort heatmap. */
export function RetentionView({ result, isCompact }: { result: RetentionResult; isCompact?: boolean }) {
  const curve = useMemo(() => curveOption(result), [result]);
  return (
    <div className="retention-view">
      <Chart option={curve} label="Retention curve" height={isCompact ? 220 : 260} />
      {!isCompact && <Heatmap result={result} />}
    </div>
  );
}
