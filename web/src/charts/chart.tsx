import { useEffect, useRef } from 'react';
import { type EChartsOption, echarts, PALETTE } from './echarts';

/**
 * An ECharts canvas. `data-rendered` turns "true" once ECharts has finished drawing the
 * current option (the dashboard benchmark waits for it). `label` names the chart for screen
 * readers; each chart has a data table next to it with the same numbers.
 */
export function Chart({
  option,
  label,
  height = 320,
  onClick,
}: {
  option: EChartsOption;
  label: string;
  height?: number;
  onClick?: (params: { name: string; seriesName?: string; dataIndex: number }) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chartRef = useRef<echarts.ECharts | null>(null);
  const clickRef = useRef(onClick);
  clickRef.current = onClick;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, null, { renderer: 'canvas' });
    chartRef.current = chart;
    chart.on('finished', () => el.setAttribute('data-rendered', 'true'));
    chart.on('click', (p) =>
      clickRef.current?.(p as { name: string; seriesName?: string; dataIndex: number }),
    );
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.dispose();
      chartRef.current = null;
    };
  }, []);

  useEffect(() => {
    ref.current?.setAttribute('data-rendered', 'false');
    chartRef.current?.setOption({ color: PALETTE, animation: false, ...option }, { notMerge: true });
  }, [option]);

  return <div ref={ref} className="chart" role="img" aria-label={label} style={{ height }} />;
}
