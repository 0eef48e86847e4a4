import type { CtrMetrics } from './ctr-evaluate.js';
import type { FieldImportance, GroupWeights, ValueEffect } from './ctr-importance.js';

/** A field whose shuffling costs less than this share of log loss "matters little". */
const LITTLE = 0.001;

function pct(x: number, digits = 1): string {
  return `${(x * 100).toFixed(digits)}%`;
}

function odds(e: ValueEffect): string {
  const factor = Math.exp(e.effect);
  return factor >= 1 ? `${factor.toFixed(2)}x the average odds` : `${factor.toFixed(2)}x`;
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function driversSentence(perm: readonly FieldImportance[]): string {
  const strong = perm.filter((f) => f.logLossIncreaseShare >= LITTLE);
  const weak = perm.filter((f) => f.logLossIncreaseShare < LITTLE).map((f) => `\`${f.field}\``);
  if (strong.length === 0)
    return 'No field moves the predictions much: shuffling any one of them changes log loss by under 0.1%.';
  const [first, ...rest] = strong;
  const f = first as FieldImportance;
  let text = `What drives CTR: \`${f.field}\` matters most (shuffling it raises test log loss by ${pct(f.logLossIncreaseShare)})`;
  if (rest.length > 0)
    text += `, then ${list(rest.slice(0, 4).map((r) => `\`${r.field}\` (${pct(r.logLossIncreaseShare)})`))}`;
  text += '.';
  if (weak.length > 0)
    text += ` ${list(weak)} ${weak.length === 1 ? 'matters' : 'matter'} little (under 0.1%).`;
  return text;
}

function valuesSentence(w: GroupWeights): string | null {
  const hi = w.highest?.[0];
  const lo = w.lowest?.[0];
  if (!hi || !lo || hi.value === lo.value) return null;
  return `\`${w.group}\`: clicks are likeliest for ${hi.value} (${odds(hi)}) and least likely for ${lo.value} (${odds(lo)}).`;
}

function numericSentence(w: GroupWeights): string | null {
  if (w.coefficient === undefined || Math.abs(w.coefficient) < 0.01) return null;
  const factor = Math.exp(w.coefficient);
  const dir = w.coefficient > 0 ? 'raises' : 'lowers';
  return `Each standard deviation more of \`${w.group.replace(' (numeric)', '')}\` ${dir} the odds of a click by a factor ${factor.toFixed(2)}.`;
}

/** The plain-words answer to "what drives CTR", from test metrics and importance. */
export function describeCtrDrivers(
  metrics: CtrMetrics,
  permutation: readonly FieldImportance[],
  weights: readonly GroupWeights[],
): string {
  const auc = metrics.rocAuc === null ? 'undefined' : metrics.rocAuc.toFixed(3);
  const parts = [
    `On ${metrics.rows.toLocaleString('en-US')} test impressions the CTR was ${pct(metrics.ctr, 2)} and the model predicted ${pct(metrics.meanPredicted, 2)} on average; it ranks a random click above a random non-click ${auc === 'undefined' ? '(AUC undefined)' : `with probability ${auc} (AUC; 0.5 is chance)`} and its predictions are off by ${pct(metrics.ece, 2)} on average across deciles (ECE).`,
    driversSentence(permutation),
  ];
  const ranked = [...weights].sort((a, b) => b.logitSpread - a.logitSpread).slice(0, 3);
  for (const w of ranked) {
    const s = w.kind === 'numeric' ? numericSentence(w) : valuesSentence(w);
    if (s) parts.push(s);
  }
  return parts.join(' ');
}
