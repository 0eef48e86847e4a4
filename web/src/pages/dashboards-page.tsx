import { useState } from 'react';
import { listDashboards, saveDashboard } from '../api';
import { ResultArea } from '../components/result-area';
import { fmtTime } from '../format';
import { Link, navigate } from '../router';
import { useAsync } from '../use-async';

/** Dashboards: the list, and a form to make a new one. */
export function DashboardsPage() {
  const state = useAsync((signal) => listDashboards(signal), 'dashboards');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="insight-page">
      <h1>Dashboards</h1>
      <form
        className="builder options-row"
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            const d = await saveDashboard({ name: name.trim() });
            navigate(`/dashboards/${d.dashboardId}`);
          } catch (err) {
            setError(err instanceof Error ? err.message : String(err));
          }
        }}
      >
        <span className="field">
          <label htmlFor="new-dashboard">New dashboard</label>
          <input
            id="new-dashboard"
            value={name}
            placeholder="Name"
            onChange={(e) => setName(e.target.value)}
          />
        </span>
        <button type="submit" disabled={name.trim() === ''}>
          Create
        </button>
        {error && (
          <span role="alert" className="error-text">
            {error}
          </span>
        )}
      </form>
      <ResultArea state={state} isEmpty={(d) => d.length === 0} empty="No dashboards yet.">
        {(boards) => (
          <ul className="card-list" aria-label="Dashboards">
            {boards.map((d) => (
              <li key={d.dashboardId} className="card">
                <Link href={`/dashboards/${d.dashboardId}`}>{d.name}</Link>
                <span className="muted">
                  {d.tiles.length} insights · updated {fmtTime(d.updatedAt)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </ResultArea>
    </div>
  );
}
