import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventRow } from '../src/core/index.js';
import { parseInstantUs } from '../src/core/index.js';
import { createProject, openWarehouse, type Warehouse } from '../src/store/index.js';

/** A compact fixture event: who, what, when (ISO instant), and optional properties/columns. */
export interface FixtureEvent {
  readonly who: string;
  readonly event: string;
  readonly at: string | number;
  readonly props?: Record<string, unknown>;
  readonly session?: string;
  readonly columns?: Partial<EventRow>;
}

let seq = 0;

/** A normalized events row as ingest produces it, with the fields a fixture leaves out set to null. */
export function eventRow(projectId: string, e: FixtureEvent): EventRow {
  const ts = typeof e.at === 'number' ? e.at : parseInstantUs(e.at);
  if (ts === null) throw new Error(`bad fixture time ${e.at}`);
  seq += 1;
  return {
    projectId,
    messageId: `m${String(seq).padStart(9, '0')}`,
    type: e.event === '$pageview' ? 'page' : 'track',
    event: e.event,
    timestampUs: ts,
    receivedAtUs: ts,
    sentAtUs: null,
    insertedAtUs: ts,
    distinctId: e.who,
    anonymousId: null,
    userId: e.who,
    sessionId: e.session ?? null,
    groupId: null,
    previousId: null,
    url: null,
    path: null,
    host: null,
    search: null,
    title: null,
    referrer: null,
    referrerDomain: null,
    utmSource: null,
    utmMedium: null,
    utmCampaign: null,
    utmTerm: null,
    utmContent: null,
    channel: null,
    deviceType: null,
    browser: null,
    browserVersion: null,
    os: null,
    osVersion: null,
    country: null,
    locale: null,
    ip: null,
    libraryName: null,
    libraryVersion: null,
    appVersion: null,
    properties: JSON.stringify(e.props ?? {}),
    traits: null,
    context: null,
    personId: null,
    clientSessionId: e.session ?? null,
    ...e.columns,
  };
}

/** A real DuckDB file in a temp dir with one project per call to `project`. */
export async function openFixtureStore(): Promise<{
  wh: Warehouse;
  project: (name: string, events: readonly FixtureEvent[], timeZone?: string) => Promise<string>;
  close: () => Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'pathwise-query-'));
  const wh = await openWarehouse({ path: join(dir, 'q.duckdb') });
  return {
    wh,
    async project(name, events, timeZone = 'UTC') {
      const created = await createProject(wh, name, { timeZone });
      const id = created.project.projectId;
      await wh.appendBatch(
        events.map((e) => eventRow(id, e)),
        [],
      );
      return id;
    },
    async close() {
      await wh.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
