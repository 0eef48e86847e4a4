import { useMemo, useState } from 'react';
import { Chart } from '../charts/chart';
import type { EChartsOption } from '../charts/echarts';
import { Select } from '../components/controls';
import { fmtDuration, fmtEdge, fmtInt, fmtPct } from '../format';
import type { FunnelResult, FunnelStepResult } from '../types';

/** A click on a step: list the units that converted to it or dropped before it. */
export type StepPick = (step: number, status: 'converted' | 'dropped') => void;

const stepName = (s: FunnelStepResult) => `${s.index}. ${s.label || s.event}`;

function barsOption(steps: readonly FunnelStepResult[], unit: string): EChartsOption {
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { bottom: 0 },
    grid: { left: 48, right: 16, top: 28, bottom: 56 },
    xAxis: {
      type: 'category',
      data: steps.map(stepName),
      axisLabel: { interval: 0, width: 110, overflow: 'truncate' },
    },
    yAxis: { type: 'value', name: unit },
    series: [
      {
        name: 'Converted',
        type: 'bar',
        stack: 'funnel',
        data: steps.map((s) => s.count),
        label: {
          show: true,
          position: 'insideTop',
          color: '#fff',
          formatter: (p: { dataIndex: number }) => fmtPct(steps[p.dataIndex]?.conversionFromFirst ?? null),
        },
      },
      {
        name: 'Dropped off',
        type: 'bar',
        stack: 'funnel',
        itemStyle: { color: '#cbd5e1' },
        data: steps.map((s) => (s.index === 1 ? 0 : s.dropOff)),
      },
    ],
  };
}

function histogramOption(step: FunnelStepResult): EChartsOption {
  const bins = step.timeToConvertHistogram;
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 16, top: 16, bottom: 40 },
    xAxis: {
      type: 'category',
      data: bins.map((b) => (b.toSec === null ? `≥ ${fmtEdge(b.fromSec)}` : `< ${fmtEdge(b.toSec)}`)),
    },
    yAxis: { type: 'value' },
    series: [{ name: 'Converted', type: 'bar', data: bins.map((b) => b.count) }],
  };
}

function breakdownOption(result: FunnelResult): EChartsOption {
  const groups = result.breakdown ?? [];
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => fmtPct(Number(v)) },
    legend: { bottom: 0, type: 'scroll' },
    grid: { left: 48, right: 16, top: 16, bottom: 56 },
    xAxis: { type: 'category', data: result.steps.map(stepName) },
    yAxis: { type: 'value', max: 1, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
    series: groups.map((g) => ({
      name: String(g.value ?? '(none)'),
      type: 'bar',
      data: g.steps.map((s) => s.conversionFromFirst ?? 0),
    })),
  };
}

function StepsTable({ result, onPick }: { result: FunnelResult; onPick?: StepPick | undefined }) {
  const unit = result.countBy === 'session' ? 'sessions' : 'persons';
  return (
    <table className="data-table" aria-label="Funnel steps">
      <thead>
        <tr>
          <th scope="col">Step</th>
          <th scope="col">{unit}</th>
          <th scope="col">From previous</th>
          <th scope="col">Overall</th>
          <th scope="col">Dropped</th>
          <th scope="col">Median time from previous</th>
          <th scope="col">Average time from previous</th>
          {onPick && <th scope="col">List {unit}</th>}
        </tr>
      </thead>
      <tbody>
        {result.steps.map((s) => (
          <tr key={s.index} data-step={s.index}>
            <th scope="row">{stepName(s)}</th>
            <td className="num" data-testid={`funnel-count-${s.index}`}>
              {fmtInt(s.count)}
            </td>
            <td className="num" data-testid={`funnel-conv-${s.index}`}>
              {fmtPct(s.conversionFromPrevious)}
            </td>
            <td className="num">{fmtPct(s.conversionFromFirst)}</td>
            <td className="num" data-testid={`funnel-drop-${s.index}`}>
              {s.index === 1 ? '—' : `${fmtInt(s.dropOff)} (${fmtPct(s.dropOffRate)})`}
            </td>
            <td className="num">{fmtDuration(s.medianTimeToConvertSec)}</td>
            <td className="num">{fmtDuration(s.avgTimeToConvertSec)}</td>
            {onPick && (
              <td className="actions">
                <button type="button" className="link-button" onClick={() => onPick(s.index, 'converted')}>
                  converted
                </button>
                {s.index > 1 && (
                  <button type="button" className="link-button" onClick={() => onPick(s.index, 'dropped')}>
                    dropped
                  </button>
                )}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function TimeToConvert({ result }: { result: FunnelResult }) {
  const later = result.steps.filter((s) => s.index > 1);
  const [pick, setPick] = useState(String(later[later.length - 1]?.index ?? 2));
  const step = later.find((s) => String(s.index) === pick) ?? later[later.length - 1];
  const option = useMemo(() => (step ? histogramOption(step) : null), [step]);
  if (!step || !option) return null;
  if (result.mode === 'unordered') return <p className="muted">Unordered funnels have no time to convert.</p>;
  return (
    <section aria-label="Time to convert">
      <h3>Time to convert</h3>
      <Select
        label="To step"
        value={String(step.index)}
        options={later.map((s) => [String(s.index), stepName(s)] as const)}
        onChange={setPick}
      />
      <p className="muted">
        Median {fmtDuration(step.medianTimeToConvertSec)} · average {fmtDuration(step.avgTimeToConvertSec)}{' '}
        from step {step.index - 1} to step {step.index}
      </p>
      <Chart option={option} label={`Time to convert to ${stepName(step)}`} height={220} />
    </section>
  );
}

function BreakdownTable({ result }: { result: FunnelResult }) {
  return (
    <table className="data-table" aria-label="Funnel breakdown">
      <thead>
        <tr>
          <th scope="col">Value</th>
          {result.steps.map((s) => (
            <th scope="col" key={s.index}>
              {stepName(s)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {(result.breakdown ?? []).map((g) => (
          <tr key={String(g.value)}>
            <th scope="row">{String(g.value ?? '(none)')}</th>
            {g.steps.map((s) => (
              <td className="num" key={s.index}>
                {fmtInt(s.count)} <span className="muted">({fmtPct(s.conversionFromFirst)})</span>
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A funnel: conversion and drop-off bars, the steps table, time to convert, breakdown. */
export function FunnelView({
  result,
  isCompact,
  onPick,
}: {
  result: FunnelResult;
  isCompact?: boolean;
  onPick?: StepPick;
}) {
  const unit = result.countBy === 'session' ? 'sessions' : 'persons';
  const bars = useMemo(() => barsOption(result.steps, unit), [result, unit]);
  const breakdown = useMemo(() => (result.breakdown?.length ? breakdownOption(result) : null), [result]);
  const last = result.steps[result.steps.length - 1];
  const click = onPick
    ? (p: { dataIndex: number; seriesName?: string }) => {
        const step = result.steps[p.dataIndex];
        if (!step) return;
        onPick(step.index, p.seriesName === 'Dropped off' && step.index > 1 ? 'dropped' : 'converted');
      }
    : undefined;
  return (
    <div className="funnel-view">
      <p className="headline">
        <strong data-testid="funnel-overall">{fmtPct(last?.conversionFromFirst ?? null)}</strong> of {unit}{' '}
        who did step 1 completed the funnel ({fmtInt(last?.count)} of {fmtInt(result.steps[0]?.count)})
      </p>
      <Chart
        option={bars}
        label="Funnel: units per step, converted and dropped off"
        height={isCompact ? 240 : 320}
        {...(click ? { onClick: click } : {})}
      />
      {!isCompact && (
        <>
          <StepsTable result={result} onPick={onPick} />
          <TimeToConvert result={result} />
          {breakdown && (
            <section aria-label="Breakdown comparison">
              <h3>Breakdown: conversion from step 1</h3>
              <Chart option={breakdown} label="Conversion by breakdown value" height={280} />
              <BreakdownTable result={result} />
            </section>
          )}
        </>
      )}
    </div>
  );
}
