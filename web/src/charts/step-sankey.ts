import type { EChartsOption } from './echarts';

/** A link between the labels at position `step` and `step + 1` of a path. */
export interface StepLink {
  readonly step: number;
  readonly from: string;
  readonly to: string;
  readonly value: number;
}

/**
 * A Sankey whose nodes are per position (`2·signup`), so a path that returns to a label draws
 * no cycle; each node is colored by its label and shows the label alone.
 */
export function stepSankeyOption(
  links: readonly StepLink[],
  colorOf: (label: string) => string,
  right: number,
): EChartsOption {
  const nodes = new Map<string, { name: string; depth: number; itemStyle: { color: string } }>();
  const node = (step: number, label: string) => {
    const name = `${step}·${label}`;
    nodes.set(name, { name, depth: step - 1, itemStyle: { color: colorOf(label) } });
    return name;
  };
  const data = links.map((l) => ({
    source: node(l.step, l.from),
    target: node(l.step + 1, l.to),
    value: l.value,
  }));
  return {
    tooltip: { trigger: 'item' },
    series: [
      {
        type: 'sankey',
        data: [...nodes.values()],
        links: data,
        nodeAlign: 'left',
        emphasis: { focus: 'adjacency' },
        lineStyle: { color: 'gradient', opacity: 0.35 },
        label: { formatter: (p: { name: string }) => p.name.slice(p.name.indexOf('·') + 1) },
        left: 8,
        right,
      },
    ],
  };
}
