import { useMemo } from 'react';
import { Chart } from '../charts/chart';
import { type EChartsOption, PALETTE } from '../charts/echarts';
import { fmtBucket, fmtNum } from '../format';
import type { TrendsLine, TrendsResult } from '../types';

/** A line's name in legends and tables: its label, and the breakdown value when broken down. */
export function lineName(line: TrendsLine): string {
  return line.breakdownValue === undefined
    ? line.label
    : `${line.label} · ${line.breakdownValue ?? '(none)'}`;
}

function linesOf(result: TrendsResult): TrendsLine[] {
  return result.formula ? [...result.series, result.formula] : [...result.series];
}

const colorAt = (i: number) => PALETTE[i % PALETTE.length];

function option(result: TrendsResult, chart: 'line' | 'bar'): EChartsOption {
  const lines = linesOf(result);
  const buckets = lines[0]?.buckets ?? [];
  const previous = result.previous?.series ?? [];
  return {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0, type: 'scroll' },
    grid: { left: 56, right: 16, top: 16, bottom: 56 },
    xAxis: { type: 'category', data: buckets.map(fmtBucket) },
    yAxis: { type: 'value' },
    series: [
      ...lines.map((l, i) => ({
        name: lineName(l),
        type: chart,
        data: l.values,
        showSymbol: buckets.length < 40,
        color: colorAt(i),
      })),
      // The previous period is drawn on the same buckets (value i is the i-th bucket before),
      // dashed, in its line's color.
      ...previous.map((l, i) => ({
        name: `${lineName(l)} (previous)`,
        type: 'line' as const,
        data: l.values,
        lineStyle: { type: 'dashed' as const, opacity: 0.6 },
        showSymbol: false,
        color: colorAt(i),
      })),
    ],
  };
}

/** The numbers of a trends result as a table: a row per line, its total and its buckets. */
function TrendsTable({ result }: { result: TrendsResult }) {
  const lines = linesOf(result);
  const buckets = lines[0]?.buckets ?? [];
  return (
    <div className="table-scroll">
      <table className="data-table" aria-label="Trends values">
        <thead>
          <tr>
            <th scope="col">Series</th>
            <th scope="col">Total</th>
            {buckets.map((b) => (
              <th scope="col" key={b}>
                {fmtBucket(b)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {lines.map((l, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: two series may have the same name
            <tr key={`${lineName(l)}-${i}`} data-line={i}>
              <th scope="row">{lineName(l)}</th>
              <td className="num" data-testid={`trend-total-${i}`}>
                {fmtNum(l.total)}
              </td>
              {l.values.map((v, j) => (
                <td className="num" key={buckets[j] ?? j}>
                  {fmtNum(v)}
                </td>
              ))}
            </tr>
          ))}
          {result.previous?.series.map((l, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: two series may have the same name
            <tr key={`prev-${lineName(l)}-${i}`} className="muted">
              <th scope="row">{lineName(l)} (previous)</th>
              <td className="num">{fmtNum(l.total)}</td>
              {l.values.map((v, j) => (
                <td className="num" key={l.buckets[j] ?? j}>
                  {fmtNum(v)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A trends result: lines or bars per series (and breakdown value), the previous period dashed. */
export function TrendsView({
  result,
  chart = 'line',
  isCompact,
}: {
  result: TrendsResult;
  chart?: 'line' | 'bar';
  isCompact?: boolean;
}) {
  const opt = useMemo(() => option(result, chart), [result, chart]);
  return (
    <div className="trends-view">
      <Chart option={opt} label="Trends chart" height={isCompact ? 240 : 340} />
      {!isCompact && <TrendsTable result={result} />}
    </div>
  );
}
