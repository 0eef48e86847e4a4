import { useState } from 'react';
import { deleteInsight, listDashboards, listInsights, saveDashboard } from '../api';
import { ResultArea } from '../components/result-area';
import { fmtTime } from '../format';
import { Link, PAGE_OF_KIND, urlWith } from '../router';
import type { Dashboard, SavedInsight } from '../types';
import { useAsync } from '../use-async';

/** The builder URL that opens a saved insight (its spec in `q`, its id in `insight`); null for kinds without a builder. */
export function insightUrl(i: SavedInsight): string | null {
  const page = (PAGE_OF_KIND as Readonly<Record<string, string>>)[i.kind];
  return page ? urlWith(page, { q: JSON.stringify(i.spec), insight: i.insightId }) : null;
}

/** A saved insight's name, linked to its builder when it has one. */
export function InsightLink({ insight }: { insight: SavedInsight }) {
  const url = insightUrl(insight);
  return url ? <Link href={url}>{insight.name}</Link> : <span>{insight.name}</span>;
}

function AddToDashboard({
  insight,
  dashboards,
  onDone,
}: {
  insight: SavedInsight;
  dashboards: Dashboard[];
  onDone: (t: string) => void;
}) {
  const [target, setTarget] = useState('');
  const id = `add-${insight.insightId}`;
  if (dashboards.length === 0) return null;
  return (
    <span className="field">
      <label htmlFor={id} className="sr-only">
        Add {insight.name} to dashboard
      </label>
      <select id={id} value={target} onChange={(e) => setTarget(e.target.value)}>
        <option value="">Add to dashboard…</option>
        {dashboards.map((d) => (
          <option key={d.dashboardId} value={d.dashboardId}>
            {d.name}
          </option>
        ))}
      </select>
      <button
        type="button"
        disabled={!target}
        onClick={async () => {
          const board = dashboards.find((d) => d.dashboardId === target);
          if (!board) return;
          try {
            await saveDashboard(
              { name: board.name, tiles: [...board.tiles, { insightId: insight.insightId, width: 1 }] },
              board.dashboardId,
            );
            onDone(`Added to “${board.name}”`);
          } catch (err) {
            onDone(err instanceof Error ? err.message : String(err));
          }
        }}
      >
        Add
      </button>
    </span>
  );
}

/** Saved insights: open, delete, add to a dashboard. */
export function InsightsPage() {
  const state = useAsync(async (signal) => {
    const [insights, dashboards] = await Promise.all([listInsights(signal), listDashboards(signal)]);
    return { insights, dashboards };
  }, 'insights');
  const [message, setMessage] = useState<string | null>(null);
  return (
    <div className="insight-page">
      <h1>Saved insights</h1>
      {message && <p role="status">{message}</p>}
      <ResultArea
        state={state}
        isEmpty={(d) => d.insights.length === 0}
        empty="Nothing saved yet: build a funnel, trend, retention, paths or sessions view and press Save."
      >
        {({ insights, dashboards }) => (
          <table className="data-table" aria-label="Saved insights">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Updated</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {insights.map((i) => (
                <tr key={i.insightId}>
                  <td>
                    <InsightLink insight={i} />
                  </td>
                  <td>{i.kind}</td>
                  <td>{fmtTime(i.updatedAt)}</td>
                  <td className="actions">
                    <AddToDashboard
                      insight={i}
                      dashboards={dashboards}
                      onDone={(t) => {
                        setMessage(t);
                        state.reload();
                      }}
                    />
                    <button
                      type="button"
                      className="link-button danger"
                      onClick={async () => {
                        if (!window.confirm(`Delete “${i.name}”? It is also taken off every dashboard.`))
                          return;
                        await deleteInsight(i.insightId).catch((err: Error) => setMessage(err.message));
                        state.reload();
                      }}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </ResultArea>
    </div>
  );
}
