import { readPerson } from '../api';
import { ResultArea } from '../components/result-area';
import { fmtDuration, fmtInt, fmtTime } from '../format';
import { Link, urlWith } from '../router';
import type { PersonDetail, TimelineSession } from '../types';
import { useAsync } from '../use-async';

const FIRST_TOUCH = [
  ['initial_channel', 'Channel'],
  ['initial_referrer_domain', 'Referrer'],
  ['initial_utm_source', 'UTM source'],
  ['initial_utm_campaign', 'UTM campaign'],
  ['initial_landing_path', 'Landing page'],
  ['initial_device_type', 'Device'],
  ['initial_browser', 'Browser'],
  ['initial_os', 'OS'],
  ['initial_country', 'Country'],
] as const;

function Profile({ d }: { d: PersonDetail }) {
  const p = d.person;
  const traits = Object.entries(p.traits ?? {});
  return (
    <div className="two-col">
      <section className="panel" aria-label="Profile">
        <h2>Profile</h2>
        <dl className="props">
          <dt>Person id</dt>
          <dd data-testid="person-id">{p.person_id}</dd>
          <dt>Identified</dt>
          <dd>{p.is_identified ? 'yes' : 'no'}</dd>
          <dt>Events</dt>
          <dd>{fmtInt(p.event_count)}</dd>
          <dt>First seen</dt>
          <dd>{fmtTime(p.first_seen)}</dd>
          <dt>Last seen</dt>
          <dd>{fmtTime(p.last_seen)}</dd>
          <dt>Distinct ids</dt>
          <dd>
            {d.distinctIds.map((x) => (
              <div key={`${x.distinct_id}-${x.valid_from}`}>
                <code>{x.distinct_id}</code>
                {x.valid_from || x.valid_to ? (
                  <span className="muted">
                    {' '}
                    {fmtTime(x.valid_from)} – {fmtTime(x.valid_to)}
                  </span>
                ) : null}
              </div>
            ))}
          </dd>
          {traits.map(([k, v]) => (
            <div key={k} className="contents">
              <dt>{k}</dt>
              <dd>{String(v?.value)}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section className="panel" aria-label="First touch">
        <h2>First touch</h2>
        <dl className="props">
          {FIRST_TOUCH.map(([k, label]) => (
            <div key={k} className="contents">
              <dt>{label}</dt>
              <dd>{(p[k] as string | null) ?? '—'}</dd>
            </div>
          ))}
        </dl>
      </section>
    </div>
  );
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

function Session({ s }: { s: TimelineSession }) {
  return (
    <li className="timeline-session">
      <details>
        <summary>
          <strong>{fmtTime(s.start_ts)}</strong> · {fmtDuration(s.duration_sec)} ·{' '}
          {plural(s.event_count, 'event')} · {plural(s.pageview_count, 'view')} ·{' '}
          {s.channel ?? 'unknown channel'} · {s.device_type ?? 'unknown device'}
          {s.is_bounce && <span className="badge">bounce</span>}
          {s.goals.map((g) => (
            <span className="badge goal" key={g}>
              {g}
            </span>
          ))}
        </summary>
        <ol className="timeline-events">
          {s.events.map((e, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: events of a session in time order
            <li key={i}>
              <time dateTime={e.timestamp}>{fmtTime(e.timestamp)}</time> <strong>{e.event}</strong>
              {e.path && <span className="muted"> {e.path}</span>}
            </li>
          ))}
        </ol>
      </details>
    </li>
  );
}

/** A person: profile, first touch, and the timeline of sessions with their events. */
export function PersonPage({ id }: { id: string }) {
  const state = useAsync((signal) => readPerson(id, signal), id);
  return (
    <div className="insight-page">
      <p>
        <Link href="/people">← People</Link> ·{' '}
        <Link href={urlWith('/events', { person: id })}>this person's live events</Link>
      </p>
      <h1>Person {id}</h1>
      <ResultArea state={state}>
        {(d) => (
          <>
            <Profile d={d} />
            <section aria-label="Timeline" className="timeline-section">
              <h2>Sessions, newest first</h2>
              {d.sessions.length === 0 && <p className="muted">No sessions yet.</p>}
              <ol className="timeline">
                {d.sessions.map((s) => (
                  <Session key={s.session_id} s={s} />
                ))}
              </ol>
              {d.moreSessions > 0 && <p className="muted">and {d.moreSessions} older sessions</p>}
            </section>
          </>
        )}
      </ResultArea>
    </div>
  );
}
