import { useState } from 'react';
import { listEvents } from '../api';
import { CatalogLists, UrlTextParam } from '../components/controls';
import { ResultArea } from '../components/result-area';
import { fmtTime } from '../format';
import { Link, useLocation, useUrlParam } from '../router';
import type { ListedEvent } from '../types';
import { useAsync } from '../use-async';

const REFRESH_MS = 3000;

function EventRow({ e }: { e: ListedEvent }) {
  const [isOpen, setOpen] = useState(false);
  return (
    <>
      <tr>
        <td title={`received ${fmtTime(e.receivedAt)}`}>{fmtTime(e.timestamp)}</td>
        <td>{e.event ?? e.type}</td>
        <td className="truncate" title={e.personId}>
          <Link href={`/people/${encodeURIComponent(e.personId)}`}>{e.personId}</Link>
        </td>
        <td className="truncate" title={e.url ?? ''}>
          {e.path ?? '—'}
        </td>
        <td>{e.channel ?? '—'}</td>
        <td>{[e.deviceType, e.os].filter(Boolean).join(' · ') || '—'}</td>
        <td>{e.country ?? '—'}</td>
        <td>
          <button
            type="button"
            className="link-button"
            aria-expanded={isOpen}
            onClick={() => setOpen(!isOpen)}
          >
            {Object.keys(e.properties).length} properties
          </button>
        </td>
      </tr>
      {isOpen && (
        <tr className="details">
          <td colSpan={8}>
            <pre>{JSON.stringify(e.properties, null, 2)}</pre>
          </td>
        </tr>
      )}
    </>
  );
}

/** Live events: the newest events, filtered by name, person and property, refreshed every 3 s. */
export function EventsPage() {
  const { search } = useLocation();
  const [live, setLive] = useUrlParam('live');
  const isLive = live !== 'off';
  const filter = {
    event: search.get('event')?.trim() || undefined,
    person: search.get('person')?.trim() || undefined,
    property: search.get('property')?.trim() || undefined,
    value: search.get('value') ?? undefined,
    limit: 100,
  };
  if (!filter.property) filter.value = undefined;
  const key = JSON.stringify(filter);
  const state = useAsync((signal) => listEvents(filter, signal), key, {
    debounceMs: 300,
    ...(isLive ? { refreshMs: REFRESH_MS } : {}),
  });
  return (
    <div className="insight-page">
      <h1>Live events</h1>
      <CatalogLists />
      <p className="muted">Newest received first; hover a time to see when the server received the event.</p>
      <form className="builder options-row" aria-label="Event filters" onSubmit={(e) => e.preventDefault()}>
        <UrlTextParam idPrefix="events" name="event" label="Event" placeholder="any event" list="pw-events" />
        <UrlTextParam idPrefix="events" name="person" label="Person" placeholder="person or distinct id" />
        <UrlTextParam
          idPrefix="events"
          name="property"
          label="Property"
          placeholder="property name"
          list="pw-properties"
        />
        <UrlTextParam idPrefix="events" name="value" label="Equals" placeholder="any value" />
        <span className="field">
          <input
            id="events-live"
            type="checkbox"
            checked={isLive}
            onChange={(e) => setLive(e.target.checked ? null : 'off')}
          />
          <label htmlFor="events-live">Auto-refresh every {REFRESH_MS / 1000} s</label>
        </span>
      </form>
      <ResultArea state={state} isEmpty={(rows) => rows.length === 0} empty="No events match these filters.">
        {(rows) => (
          <div className="table-scroll">
            <table className="data-table" aria-label="Newest events">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Event</th>
                  <th scope="col">Person</th>
                  <th scope="col">Path</th>
                  <th scope="col">Channel</th>
                  <th scope="col">Device</th>
                  <th scope="col">Country</th>
                  <th scope="col">Properties</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((e) => (
                  <EventRow key={e.messageId} e={e} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </ResultArea>
    </div>
  );
}
