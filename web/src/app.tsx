import { lazy, type ReactNode, Suspense, useEffect, useId, useState, useSyncExternalStore } from 'react';
import { authText, getAuth, login, logout, onAuthChange, setKey } from './api';
import { Loading } from './components/states';
import { NAV } from './nav';
import { prefetchFor } from './prefetch';
import { Link, useLocation } from './router';

// Pages load on first visit: the shell stays small and ECharts comes with the first chart.
const loaders = {
  home: () => import('./pages/home-page').then((m) => ({ default: m.HomePage })),
  events: () => import('./pages/events-page').then((m) => ({ default: m.EventsPage })),
  trends: () => import('./pages/trends-page').then((m) => ({ default: m.TrendsPage })),
  funnels: () => import('./pages/funnels-page').then((m) => ({ default: m.FunnelsPage })),
  retention: () => import('./pages/retention-page').then((m) => ({ default: m.RetentionPage })),
  paths: () => import('./pages/paths-page').then((m) => ({ default: m.PathsPage })),
  sessions: () => import('./pages/sessions-page').then((m) => ({ default: m.SessionsPage })),
  attribution: () => import('./pages/attribution-page').then((m) => ({ default: m.AttributionPage })),
  people: () => import('./pages/people-page').then((m) => ({ default: m.PeoplePage })),
  person: () => import('./pages/person-page').then((m) => ({ default: m.PersonPage })),
  insights: () => import('./pages/insights-page').then((m) => ({ default: m.InsightsPage })),
  dashboards: () => import('./pages/dashboards-page').then((m) => ({ default: m.DashboardsPage })),
  dashboard: () => import('./pages/dashboard-page').then((m) => ({ default: m.DashboardPage })),
  audit: () => import('./pages/audit-page').then((m) => ({ default: m.AuditPage })),
};
const pages = {
  home: lazy(loaders.home),
  events: lazy(loaders.events),
  trends: lazy(loaders.trends),
  funnels: lazy(loaders.funnels),
  retention: lazy(loaders.retention),
  paths: lazy(loaders.paths),
  sessions: lazy(loaders.sessions),
  attribution: lazy(loaders.attribution),
  people: lazy(loaders.people),
  person: lazy(loaders.person),
  insights: lazy(loaders.insights),
  dashboards: lazy(loaders.dashboards),
  dashboard: lazy(loaders.dashboard),
  audit: lazy(loaders.audit),
};

/** Starts loading the first page's code and data at once, before React's first render asks for them. */
export function startLoading(path: string, search: URLSearchParams): void {
  const [, first, second] = path.split('/');
  const name =
    first === 'people' && second
      ? 'person'
      : first === 'dashboards' && second
        ? 'dashboard'
        : first || 'home';
  if (Object.hasOwn(loaders, name)) void loaders[name as keyof typeof loaders]().catch(() => undefined);
  prefetchFor(path, search);
}

function route(path: string): ReactNode {
  const [, first, second] = path.split('/');
  const id = second ? decodeURIComponent(second) : null;
  switch (first) {
    case '':
      return <pages.home />;
    case 'events':
      return <pages.events />;
    case 'trends':
      return <pages.trends />;
    case 'funnels':
      return <pages.funnels />;
    case 'retention':
      return <pages.retention />;
    case 'paths':
      return <pages.paths />;
    case 'sessions':
      return <pages.sessions />;
    case 'attribution':
      return <pages.attribution />;
    case 'people':
      return id ? <pages.person key={id} id={id} /> : <pages.people />;
    case 'insights':
      return <pages.insights />;
    case 'dashboards':
      return id ? <pages.dashboard key={id} id={id} /> : <pages.dashboards />;
    case 'audit':
      return <pages.audit />;
    default:
      return <p className="state state-empty">No page at {path}.</p>;
  }
}

/** Signs in with a project API key (kept in this browser) or as a user (a session cookie). */
function SignIn() {
  const [key, setKeyText] = useState('');
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [project, setProject] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  return (
    <main className="key-form">
      <h1>Pathwise</h1>
      <form
        aria-label="Sign in with a key"
        onSubmit={(e) => {
          e.preventDefault();
          if (key.trim()) setKey(key);
        }}
      >
        <label htmlFor={`${id}-key`}>Project API key</label>
        <input
          id={`${id}-key`}
          type="password"
          autoComplete="off"
          value={key}
          placeholder="pw_r_…"
          onChange={(e) => setKeyText(e.target.value)}
        />
        <button type="submit">Open the dashboard</button>
      </form>
      <p className="muted">
        <code>pathwise serve</code> prints a dashboard link with the read key on its first start;{' '}
        <code>pathwise key create --scopes view,query,pii</code> makes a key that also sees persons and raw
        events.
      </p>
      <form
        aria-label="Log in as a user"
        onSubmit={async (e) => {
          e.preventDefault();
          setError(null);
          try {
            await login(user.trim(), password, project.trim() || undefined);
          } catch (err) {
            setError(err instanceof Error ? err.message : String(err));
          }
        }}
      >
        <label htmlFor={`${id}-user`}>User</label>
        <input
          id={`${id}-user`}
          autoComplete="username"
          value={user}
          onChange={(e) => setUser(e.target.value)}
        />
        <label htmlFor={`${id}-password`}>Password</label>
        <input
          id={`${id}-password`}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <label htmlFor={`${id}-project`}>Project (when you belong to several)</label>
        <input id={`${id}-project`} value={project} onChange={(e) => setProject(e.target.value)} />
        <button type="submit" disabled={!user.trim() || !password}>
          Log in
        </button>
        {error && (
          <p role="alert" className="error-text">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}

function signedInAs(): string {
  const auth = getAuth();
  if (!auth) return '';
  return auth.kind === 'key' ? `key ${auth.key.slice(0, 8)}…` : `${auth.user} · ${auth.projectId}`;
}

function Nav({ path }: { path: string }) {
  return (
    <nav className="sidebar" aria-label="Main">
      <Link href="/" className="brand">
        Pathwise
      </Link>
      <ul>
        {NAV.map(([href, label]) => (
          <li key={href}>
            <Link
              href={href}
              aria-current={path === href || path.startsWith(`${href}/`) ? 'page' : undefined}
            >
              {label}
            </Link>
          </li>
        ))}
      </ul>
      <span className="signed-in">{signedInAs()}</span>
      <button type="button" className="link-button sign-out" onClick={() => void logout()}>
        Sign out
      </button>
    </nav>
  );
}

/** The shell: key gate, navigation, the current page. */
export function App() {
  const key = useSyncExternalStore(onAuthChange, authText);
  const { path } = useLocation();
  useEffect(() => {
    const page = NAV.find(([href]) => path.startsWith(href))?.[1];
    document.title = page ? `${page} · Pathwise` : 'Pathwise';
  }, [path]);
  if (!key) return <SignIn />;
  return (
    <div className="layout">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <Nav path={path} />
      <main id="main" className="content">
        <Suspense fallback={<Loading />}>{route(path)}</Suspense>
      </main>
    </div>
  );
}
