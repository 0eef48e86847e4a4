/**
 * Prints the top frames of a V8 CPU profile (node --cpu-prof) by self time and by total time,
 * optionally of a window only (ms from the profile's start: a bench phase rather than start-up).
 *
 *   npx tsx bench/profile-top.ts PROFILE.cpuprofile [--top 30] [--from-ms 20000] [--to-ms 26000]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: 'string', default: '30' },
    'from-ms': { type: 'string', default: '0' },
    'to-ms': { type: 'string', default: 'Infinity' },
  },
});
const file = positionals[0];
if (!file) throw new Error('usage: profile-top PROFILE.cpuprofile [--top N]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const top = Number(values.top);

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const fromUs = Number(values['from-ms']) * 1000;
const toUs = Number(values['to-ms']) * 1000;
const selfUs = new Map<number, number>();
let atUs = 0;
profile.samples.forEach((id, i) => {
  const delta = profile.timeDeltas[i] ?? 0;
  atUs += delta;
  if (atUs < fromUs || atUs > toUs) return;
  selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
});
process.stdout.write(`profile spans ${(atUs / 1000).toFixed(0)} ms\n`);
const totalUs = [...selfUs.values()].reduce((s, x) => s + x, 0);

function label(n: ProfileNode): string {
  const url = n.callFrame.url
    .replace(/^.*\/(node_modules\/)/, '$1')
    .replace(/^.*\/(src|bench|dist)\//, '$1/');
  return `${n.callFrame.functionName || '(anonymous)'} ${url}:${n.callFrame.lineNumber + 1}`;
}

const self = new Map<string, number>();
const total = new Map<string, number>();
for (const [id, us] of selfUs) {
  const node = byId.get(id);
  if (!node) continue;
  self.set(label(node), (self.get(label(node)) ?? 0) + us);
  // Count each frame once per sample even under recursion.
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const n = byId.get(cur);
    if (!n) break;
    const l = label(n);
    if (seen.has(l)) continue;
    seen.add(l);
    total.set(l, (total.get(l) ?? 0) + us);
  }
}

function print(title: string, m: Map<string, number>): void {
  process.stdout.write(`\n${title} (of ${(totalUs / 1000).toFixed(0)} ms sampled)\n`);
  for (const [l, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`${((us / totalUs) * 100).toFixed(1).padStart(5)}%  ${l}\n`);
  }
}

print('self time', self);
print('total time', total);
