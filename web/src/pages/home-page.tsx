import { NAV } from '../nav';
import { Link } from '../router';

const ABOUT: Record<string, string> = {
  '/dashboards': 'Saved insights arranged together',
  '/insights': 'Every saved funnel, trend, retention, paths and sessions view',
  '/events': 'The newest events as they arrive, filtered',
  '/trends': 'Counts and unique users over time, by series and breakdown',
  '/funnels': 'Where people drop out of a flow, and who',
  '/retention': 'Whether people come back, by cohort',
  '/paths': 'Which ways people go from or to an event',
  '/sessions': 'How long and how deep visits are, where they enter and exit',
  '/people': 'Find a person and read their timeline',
};

/** The start page: what each page is for. */
export function HomePage() {
  return (
    <div className="insight-page">
      <h1>Pathwise</h1>
      <ul className="card-grid">
        {NAV.map(([href, label]) => (
          <li key={href} className="card">
            <Link href={href}>{label}</Link>
            <span className="muted">{ABOUT[href]}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
