/**
 * Requests started before the page that needs them has loaded: opening a dashboard fetches the
 * dashboard, the saved insights and the tiles' results while the page's code and ECharts are
 * still on the way. A page takes a prefetched promise once; later loads fetch afresh.
 */
import { getAuth, listInsights, readDashboard, runDashboardResults } from './api';

const started = new Map<string, Promise<unknown>>();

/** The prefetched promise for `key`, once (it is forgotten when taken). */
export function takePrefetched<T>(key: string): Promise<T> | undefined {
  const p = started.get(key) as Promise<T> | undefined;
  started.delete(key);
  return p;
}

function start<T>(key: string, load: () => Promise<T>): Promise<T> {
  const p = load();
  // An unhandled rejection here would be reported twice; the page shows the error when it takes it.
  p.catch(() => undefined);
  started.set(key, p);
  return p;
}

/** Starts the requests of the page at `path` that can run before its code is loaded. */
export function prefetchFor(path: string, search: URLSearchParams): void {
  const match = /^\/dashboards\/([^/]+)$/.exec(path);
  if (!match?.[1] || !getAuth()) return;
  const id = decodeURIComponent(match[1]);
  start(`dashboard:${id}`, () => Promise.all([readDashboard(id), listInsights()]));
  // A dashboard-wide range changes every tile's request: then the tiles ask for themselves.
  // Otherwise all tiles' results come in one request, beside the dashboard's (one hop, not two).
  if (!search.get('range')) start(`results:${id}`, () => runDashboardResults(id));
}

type TileResult = Awaited<ReturnType<typeof runDashboardResults>>[number];
const takenTiles = new Set<string>();

/**
 * A tile's prefetched result, once per dashboard and insight; a tile the combined answer lacks
 * (its insight failed) gets `fallback`, its own request, which shows its error.
 */
export function takePrefetchedTile(
  dashboardId: string,
  insightId: string,
  fallback: () => Promise<TileResult>,
): Promise<TileResult> | undefined {
  const all = started.get(`results:${dashboardId}`) as Promise<TileResult[]> | undefined;
  const key = `${dashboardId}\n${insightId}`;
  if (!all || takenTiles.has(key)) return undefined;
  takenTiles.add(key);
  return all.then(
    (results) => results.find((r) => r.insightId === insightId) ?? fallback(),
    () => fallback(),
  );
}
