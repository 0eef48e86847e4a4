import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { deleteDashboard, listInsights, readDashboard, runSavedInsight, saveDashboard } from '../api';
import { localDate, Select } from '../components/controls';
import { isEmptyResult, ResultArea } from '../components/result-area';
import { Loading } from '../components/states';
import { takePrefetched, takePrefetchedTile } from '../prefetch';
import { Link, navigate, useUrlParam } from '../router';
import type { Dashboard, DashboardTile, DateRange, SavedInsight } from '../types';
import { useAsync } from '../use-async';
import { InsightLink } from './insights-page';

// The charts (ECharts) start loading with this page, while the dashboard and its results are
// fetched, instead of before the page can ask for them.
const charts = import('../views/insight-view');
const InsightView = lazy(() => charts.then((m) => ({ default: m.InsightView })));

const RANGES = [
  ['', 'each insight’s own range'],
  ['7d', 'last 7 days'],
  ['14d', 'last 14 days'],
  ['30d', 'last 30 days'],
  ['90d', 'last 90 days'],
] as const;

/** The body that runs a saved insight over the dashboard's range (sessions take calendar days). */
function rangeOverride(
  insight: SavedInsight,
  range: string | null,
): { dateRange?: DateRange; from?: string; to?: string } {
  if (!range) return {};
  if (insight.kind === 'sessions')
    return { from: localDate(Number.parseInt(range, 10) - 1), to: localDate(0) };
  return { dateRange: { last: range } };
}

/** How old a result is: the server's `computedAt` is when its computation started. */
function ago(iso: string, nowMs: number): string {
  const sec = Math.max(0, Math.round((nowMs - Date.parse(iso)) / 1000));
  return sec < 60
    ? `${sec} s ago`
    : sec < 3600
      ? `${Math.floor(sec / 60)} min ago`
      : `${Math.floor(sec / 3600)} h ago`;
}

/** The time now, updated every `everyMs`, so that ages shown stay true. */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** While a tile's result is older than the data, ask again this often (the server is refreshing it). */
const STALE_POLL_MS = 5000;

function Tile({
  dashboardId,
  tile,
  insight,
  range,
  index,
  count,
  onChange,
}: {
  dashboardId: string;
  tile: DashboardTile;
  insight: SavedInsight | undefined;
  range: string | null;
  index: number;
  count: number;
  onChange: (action: 'left' | 'right' | 'width' | 'remove') => void;
}) {
  const [refresh, setRefresh] = useState(0);
  const [isStale, setIsStale] = useState(false);
  // Only the request right after a click recomputes; polls of a stale tile read the cache.
  const forcedRef = useRef(0);
  const now = useNow(5000);
  const body = insight ? rangeOverride(insight, range) : null;
  // A refresh asks for a result computed now; otherwise the server may answer from its cache.
  const key = insight ? JSON.stringify({ id: insight.insightId, body, refresh }) : null;
  const state = useAsync(
    (signal) => {
      const id = String(insight?.insightId);
      const prefetched =
        !range && !refresh
          ? takePrefetchedTile(dashboardId, id, () => runSavedInsight(id, {}, signal))
          : undefined;
      const isForced = refresh > forcedRef.current;
      forcedRef.current = refresh;
      return prefetched ?? runSavedInsight(id, { ...body, ...(isForced ? { maxAgeSec: 0 } : {}) }, signal);
    },
    key,
    isStale ? { refreshMs: STALE_POLL_MS } : {},
  );
  const answeredStale = state.data?.isStale === true;
  useEffect(() => setIsStale(answeredStale), [answeredStale]);
  const name = insight?.name ?? 'Missing insight';
  return (
    <article className={`tile tile-w${tile.width}`} data-tile={tile.insightId} aria-label={name}>
      <header className="tile-head">
        <h2>{insight ? <InsightLink insight={insight} /> : name}</h2>
        <span className="muted">{insight?.kind}</span>
        <span className="tile-actions">
          <button
            type="button"
            className="icon-button"
            aria-label={`Move ${name} earlier`}
            disabled={index === 0}
            onClick={() => onChange('left')}
          >
            ←
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={`Move ${name} later`}
            disabled={index === count - 1}
            onClick={() => onChange('right')}
          >
            →
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={`Make ${name} ${tile.width === 1 ? 'wide' : 'narrow'}`}
            onClick={() => onChange('width')}
          >
            {tile.width === 1 ? '⇔' : '⇥'}
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={`Remove ${name} from the dashboard`}
            onClick={() => onChange('remove')}
          >
            ×
          </button>
        </span>
      </header>
      <ResultArea state={state} idle="This insight was deleted." isEmpty={(r) => isEmptyResult(r.result)}>
        {(r) => (
          <>
            <Suspense fallback={<Loading label="Loading charts…" />}>
              <InsightView result={r.result} isCompact />
            </Suspense>
            <p className="tile-foot muted">
              <span data-computed-at={r.computedAt} title={new Date(r.computedAt).toLocaleString()}>
                updated {ago(r.computedAt, now)}
              </span>
              {r.isStale && <span className="tile-stale"> · newer data arrived, updating…</span>}{' '}
              <button
                type="button"
                className="link-button"
                aria-label={`Refresh ${name}`}
                onClick={() => setRefresh((n) => n + 1)}
              >
                Refresh
              </button>
            </p>
          </>
        )}
      </ResultArea>
    </article>
  );
}

function edit(
  tiles: DashboardTile[],
  i: number,
  action: 'left' | 'right' | 'width' | 'remove',
): DashboardTile[] {
  const next = [...tiles];
  const tile = next[i];
  if (!tile) return next;
  if (action === 'remove') next.splice(i, 1);
  else if (action === 'width') next[i] = { ...tile, width: tile.width === 1 ? 2 : 1 };
  else {
    const j = action === 'left' ? i - 1 : i + 1;
    const other = next[j];
    if (!other) return next;
    next[j] = tile;
    next[i] = other;
  }
  return next;
}

function Board({
  board,
  insights,
  onSaved,
}: {
  board: Dashboard;
  insights: SavedInsight[];
  onSaved: (d: Dashboard) => void;
}) {
  const [range, setRange] = useUrlParam('range');
  const [adding, setAdding] = useState('');
  const [error, setError] = useState<string | null>(null);
  const byId = new Map(insights.map((i) => [i.insightId, i]));
  const save = async (tiles: DashboardTile[]) => {
    setError(null);
    try {
      onSaved(
        await saveDashboard(
          { name: board.name, ...(board.description ? { description: board.description } : {}), tiles },
          board.dashboardId,
        ),
      );
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <>
      <div className="options-row builder">
        <Select
          label="Date range"
          value={range ?? ''}
          options={RANGES}
          onChange={(r) => setRange(r || null)}
        />
        <span className="field">
          <label htmlFor="add-insight">Add insight</label>
          <select id="add-insight" value={adding} onChange={(e) => setAdding(e.target.value)}>
            <option value="">Choose a saved insight…</option>
            {insights.map((i) => (
              <option key={i.insightId} value={i.insightId}>
                {i.name} ({i.kind})
              </option>
            ))}
          </select>
          <button
            type="button"
            disabled={!adding}
            onClick={() => {
              void save([...board.tiles, { insightId: adding, width: 1 }]);
              setAdding('');
            }}
          >
            Add
          </button>
        </span>
        <button
          type="button"
          className="link-button danger"
          onClick={async () => {
            if (!window.confirm(`Delete the dashboard “${board.name}”? Its insights stay saved.`)) return;
            await deleteDashboard(board.dashboardId);
            navigate('/dashboards');
          }}
        >
          Delete dashboard
        </button>
        {error && (
          <span role="alert" className="error-text">
            {error}
          </span>
        )}
      </div>
      {board.tiles.length === 0 && (
        <p className="state state-empty">No insights on this dashboard yet: add a saved insight above.</p>
      )}
      <div className="tiles">
        {board.tiles.map((t, i) => (
          <Tile
            // biome-ignore lint/suspicious/noArrayIndexKey: one insight may sit on a dashboard twice
            key={`${t.insightId}-${i}`}
            dashboardId={board.dashboardId}
            tile={t}
            insight={byId.get(t.insightId)}
            range={range}
            index={i}
            count={board.tiles.length}
            onChange={(action) => void save(edit(board.tiles, i, action))}
          />
        ))}
      </div>
    </>
  );
}

/** A dashboard: saved insights as tiles, rearranged in place; the range can be overridden. */
export function DashboardPage({ id }: { id: string }) {
  const [saved, setSaved] = useState<Dashboard | null>(null);
  const state = useAsync(async (signal) => {
    const prefetched = takePrefetched<[Dashboard, SavedInsight[]]>(`dashboard:${id}`);
    const [board, insights] = await (prefetched ??
      Promise.all([readDashboard(id, signal), listInsights(signal)]));
    return { board, insights };
  }, id);
  return (
    <div className="insight-page">
      <p>
        <Link href="/dashboards">← Dashboards</Link>
      </p>
      <ResultArea state={state}>
        {({ board, insights }) => {
          const current = saved?.dashboardId === board.dashboardId ? saved : board;
          return (
            <>
              <h1>{current.name}</h1>
              <Board board={current} insights={insights} onSaved={setSaved} />
            </>
          );
        }}
      </ResultArea>
    </div>
  );
}
