import { useState } from 'react';
import { listAudit, verifyAuditLog } from '../api';
import { UrlTextParam } from '../components/controls';
import { ResultArea } from '../components/result-area';
import { fmtInt, fmtTime } from '../format';
import { useLocation } from '../router';
import type { AuditRecord, AuditVerification } from '../types';
import { useAsync } from '../use-async';

function AuditRow({ r }: { r: AuditRecord }) {
  const [isOpen, setOpen] = useState(false);
  const isRefused = r.status !== null && r.status >= 400;
  return (
    <>
      <tr className={isRefused ? 'refused' : undefined}>
        <td>{r.seq}</td>
        <td>{fmtTime(r.at)}</td>
        <td title={r.actorId ?? ''}>
          {r.actorKind}: {r.actorName}
        </td>
        <td>{r.action}</td>
        <td className="truncate" title={r.target ?? ''}>
          {r.target ?? '—'}
        </td>
        <td>{r.status ?? '—'}</td>
        <td>{r.rowCount === null ? '—' : fmtInt(r.rowCount)}</td>
        <td>{r.address ?? '—'}</td>
        <td>
          {r.detail === null || r.detail === undefined ? (
            '—'
          ) : (
            <button
              type="button"
              className="link-button"
              aria-expanded={isOpen}
              onClick={() => setOpen(!isOpen)}
            >
              {isOpen ? 'hide' : 'show'}
            </button>
          )}
        </td>
      </tr>
      {isOpen && (
        <tr className="details">
          <td colSpan={9}>
            <pre>{JSON.stringify(r.detail, null, 2)}</pre>
          </td>
        </tr>
      )}
    </>
  );
}

function ChainStatus({ v }: { v: AuditVerification }) {
  return v.isIntact ? (
    <p className="state" data-chain="intact">
      Hash chain intact: {fmtInt(v.rows)} rows checked, through seq {v.lastSeq}.
    </p>
  ) : (
    <p className="state state-error" role="alert" data-chain="broken">
      Hash chain broken at seq {v.brokenAt}: {v.reason}
    </p>
  );
}

/**
 * The audit log (admins only): who ran which query, SQL, export, person view or admin action,
 * when, from where, with what answer; filters in the URL; the chain's integrity on request.
 */
export function AuditPage() {
  const { search } = useLocation();
  const filter = {
    actor: search.get('actor')?.trim() || undefined,
    action: search.get('action')?.trim() || undefined,
    from: search.get('from') || undefined,
    to: search.get('to') || undefined,
    limit: Number(search.get('limit')) || 200,
  };
  const key = JSON.stringify(filter);
  const state = useAsync((signal) => listAudit(filter, signal), key, { debounceMs: 300 });
  const [verifyKey, setVerifyKey] = useState<string | null>(null);
  const verification = useAsync((signal) => verifyAuditLog(signal), verifyKey);
  return (
    <div className="insight-page">
      <h1>Audit log</h1>
      <p className="muted">
        Every query, SQL, export, person view and admin action of this project, newest first. Persons are
        named by hash. Readable by admins only.
      </p>
      <form className="builder options-row" aria-label="Audit filters" onSubmit={(e) => e.preventDefault()}>
        <UrlTextParam
          idPrefix="audit"
          name="actor"
          label="Actor"
          placeholder="user name, key id or cli:login"
        />
        <UrlTextParam idPrefix="audit" name="action" label="Action" placeholder="e.g. query, POST /api/sql" />
        <UrlTextParam idPrefix="audit" name="from" label="From" placeholder="YYYY-MM-DD" />
        <UrlTextParam idPrefix="audit" name="to" label="To" placeholder="YYYY-MM-DD" />
        <button type="button" onClick={() => setVerifyKey(String(Date.now()))}>
          Verify the hash chain
        </button>
      </form>
      {verifyKey !== null && <ResultArea state={verification}>{(v) => <ChainStatus v={v} />}</ResultArea>}
      <ResultArea
        state={state}
        isEmpty={(rows) => rows.length === 0}
        empty="No audit rows match these filters."
      >
        {(rows) => (
          <div className="table-scroll">
            <table className="data-table" aria-label="Audit log">
              <thead>
                <tr>
                  <th scope="col">Seq</th>
                  <th scope="col">Time</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Action</th>
                  <th scope="col">Target</th>
                  <th scope="col">Status</th>
                  <th scope="col">Rows</th>
                  <th scope="col">Address</th>
                  <th scope="col">Detail</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <AuditRow key={r.seq} r={r} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </ResultArea>
    </div>
  );
}
