/** Number and time formatting for the dashboard (en-US digits, the browser's time zone for instants). */

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** A count: 12,345. Null is an em dash. */
export function fmtInt(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : integer.format(n);
}

/** A number with up to two decimals. */
export function fmtNum(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : decimal.format(n);
}

/** A rate as a percentage with one decimal: 0.4567 → 45.7%. */
export function fmtPct(r: number | null | undefined): string {
  return r === null || r === undefined ? '—' : `${(r * 100).toFixed(1)}%`;
}

/** A duration in seconds, shortest unit that reads well: 45s, 3m 20s, 2h 5m, 3d 4h. */
export function fmtDuration(sec: number | null | undefined): string {
  if (sec === null || sec === undefined) return '—';
  const s = Math.round(sec);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}

/** A bin edge in whole units where it has them: 30s, 5m, 3h, 2d (else as fmtDuration). */
export function fmtEdge(sec: number | null | undefined): string {
  if (sec === null || sec === undefined) return '—';
  if (sec > 0 && sec % 86_400 === 0) return `${sec / 86_400}d`;
  if (sec > 0 && sec % 3600 === 0) return `${sec / 3600}h`;
  if (sec > 0 && sec % 60 === 0) return `${sec / 60}m`;
  return fmtDuration(sec);
}

/** An instant (ISO text) in the browser's zone: 2026-02-28 21:08:53. */
export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A calendar bucket label from the API (local wall time without zone): the date, plus the hour when set. */
export function fmtBucket(text: string): string {
  const [date, time] = text.split('T');
  return time && time !== '00:00:00' ? `${date} ${time.slice(0, 5)}` : (date ?? text);
}
