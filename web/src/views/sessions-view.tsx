import { useMemo } from 'react';
import { Chart } from '../charts/chart';
import type { EChartsOption } from '../charts/echarts';
import { fmtDuration, fmtEdge, fmtInt, fmtNum, fmtPct } from '../format';
import type { SessionMetrics, SessionsResult } from '../types';

function bucketText(b: { fromSec: number | null; toSec: number | null }): string {
  if (b.toSec === 0) return '0s';
  if (b.toSec === null) return `> ${fmtEdge(b.fromSec)}`;
  return `≤ ${fmtEdge(b.toSec)}`;
}

function histogramOption(m: SessionMetrics): EChartsOption {
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 16, top: 16, bottom: 32 },
    xAxis: { type: 'category', data: m.durationHistogram.map(bucketText) },
    yAxis: { type: 'value' },
    series: [{ name: 'Sessions', type: 'bar', data: m.durationHistogram.map((b) => b.sessions) }],
  };
}

function groupsOption(result: SessionsResult): EChartsOption {
  const groups = result.groups;
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 120, right: 16, top: 16, bottom: 24 },
    yAxis: { type: 'category', data: groups.map((g) => String(g.value ?? '(none)')).reverse() },
    xAxis: { type: 'value' },
    series: [{ name: 'Sessions', type: 'bar', data: groups.map((g) => g.sessions).reverse() }],
  };
}

/** The four headline numbers (and the average duration). */
export function Kpis({ m }: { m: SessionMetrics }) {
  const items = [
    ['sessions', 'Sessions', fmtInt(m.sessions)],
    ['median-duration', 'Median duration', fmtDuration(m.medianDurationSec)],
    ['avg-duration', 'Average duration', fmtDuration(m.avgDurationSec)],
    ['bounce-rate', 'Bounce rate', fmtPct(m.bounceRate)],
    ['pages-per-session', 'Pages per session', fmtNum(m.pagesPerSession)],
  ] as const;
  return (
    <dl className="kpis">
      {items.map(([id, label, value]) => (
        <div className="kpi" key={id}>
          <dt>{label}</dt>
          <dd data-testid={`kpi-${id}`}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function PagesTable({ label, rows }: { label: string; rows: SessionMetrics['entryPages'] }) {
  return (
    <table className="data-table" aria-label={label}>
      <caption>{label}</caption>
      <thead>
        <tr>
          <th scope="col">Path</th>
          <th scope="col">Sessions</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={String(r.path)}>
            <td>{r.path ?? '(none)'}</td>
            <td className="num">{fmtInt(r.sessions)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function GroupsTable({ result }: { result: SessionsResult }) {
  return (
    <table className="data-table" aria-label={`Sessions by ${result.breakdown}`}>
      <thead>
        <tr>
          <th scope="col">{result.breakdown}</th>
          <th scope="col">Sessions</th>
          <th scope="col">Median duration</th>
          <th scope="col">Bounce rate</th>
          <th scope="col">Pages per session</th>
        </tr>
      </thead>
      <tbody>
        {result.groups.map((g) => (
          <tr key={JSON.stringify(g.value)}>
            <th scope="row">{String(g.value ?? '(none)')}</th>
            <td className="num">{fmtInt(g.sessions)}</td>
            <td className="num">{fmtDuration(g.medianDurationSec)}</td>
            <td className="num">{fmtPct(g.bounceRate)}</td>
            <td className="num">{fmtNum(g.pagesPerSession)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Session analytics: KPIs, duration histogram, entry and exit pages, breakdown. */
export function SessionsView({ result, isCompact }: { result: SessionsResult; isCompact?: boolean }) {
  const histogram = useMemo(() => histogramOption(result), [result]);
  const groups = useMemo(() => (result.groups.length > 0 ? groupsOption(result) : null), [result]);
  return (
    <div className="sessions-view">
      <Kpis m={result} />
      <Chart option={histogram} label="Session duration histogram" height={isCompact ? 200 : 260} />
      {!isCompact && (
        <>
          <div className="two-col">
            <PagesTable label="Entry pages" rows={result.entryPages} />
            <PagesTable label="Exit pages" rows={result.exitPages} />
          </div>
          {groups && result.breakdown && (
            <section aria-label="Breakdown">
              <h3>By {result.breakdown}</h3>
              <Chart
                option={groups}
                label={`Sessions by ${result.breakdown}`}
                height={Math.max(160, 28 * result.groups.length)}
              />
              <GroupsTable result={result} />
            </section>
          )}
        </>
      )}
    </div>
  );
}
