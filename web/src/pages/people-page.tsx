import { searchPersons } from '../api';
import { ResultArea } from '../components/result-area';
import { fmtInt, fmtTime } from '../format';
import { Link, useUrlParam } from '../router';
import { useAsync } from '../use-async';

const PAGE = 50;

/** People: search persons by id, distinct id or trait (e.g. an email); newest activity first. */
export function PeoplePage() {
  const [q, setQ] = useUrlParam('q');
  const [offsetText, setOffset] = useUrlParam('offset');
  const offset = Number(offsetText ?? 0) || 0;
  const key = JSON.stringify({ q: q ?? '', offset });
  const state = useAsync((signal) => searchPersons(q ?? '', { limit: PAGE, offset }, signal), key, {
    debounceMs: 300,
  });
  return (
    <div className="insight-page">
      <h1>People</h1>
      <form className="builder options-row" aria-label="Search persons" onSubmit={(e) => e.preventDefault()}>
        <span className="field">
          <label htmlFor="people-q">Search</label>
          <input
            id="people-q"
            type="search"
            placeholder="id, distinct id, email…"
            value={q ?? ''}
            onChange={(e) => {
              setOffset(null);
              setQ(e.target.value);
            }}
          />
        </span>
      </form>
      <ResultArea state={state} isEmpty={(r) => r.total === 0} empty="Nobody matches this search.">
        {(r) => (
          <>
            <p className="muted">
              {fmtInt(r.total)} persons; showing {offset + 1}–{offset + r.items.length}
            </p>
            <table className="data-table" aria-label="Persons">
              <thead>
                <tr>
                  <th scope="col">Person</th>
                  <th scope="col">Identified</th>
                  <th scope="col">Events</th>
                  <th scope="col">First seen</th>
                  <th scope="col">Last seen</th>
                  <th scope="col">First channel</th>
                  <th scope="col">Country</th>
                </tr>
              </thead>
              <tbody>
                {r.items.map((p) => (
                  <tr key={p.person_id}>
                    <td>
                      <Link href={`/people/${encodeURIComponent(p.person_id)}`}>{p.person_id}</Link>
                    </td>
                    <td>{p.is_identified ? 'yes' : 'no'}</td>
                    <td className="num">{fmtInt(p.event_count)}</td>
                    <td>{fmtTime(p.first_seen)}</td>
                    <td>{fmtTime(p.last_seen)}</td>
                    <td>{p.initial_channel ?? '—'}</td>
                    <td>{p.initial_country ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="pager">
              <button
                type="button"
                disabled={offset === 0}
                onClick={() => setOffset(String(Math.max(0, offset - PAGE)))}
              >
                Previous
              </button>
              <button
                type="button"
                disabled={offset + PAGE >= r.total}
                onClick={() => setOffset(String(offset + PAGE))}
              >
                Next
              </button>
            </div>
          </>
        )}
      </ResultArea>
    </div>
  );
}
