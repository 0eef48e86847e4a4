import type { FastifyInstance } from 'fastify';
import Type, { type Static } from 'typebox';
import { PathwiseError } from '../../core/index.js';
import { findPerson, searchPersons } from '../../identity/index.js';
import { type EventListQuery, listEvents } from '../../query/index.js';
import { listPersonTimeline } from '../../sessions/index.js';
import { readEventCatalog, type Warehouse } from '../../store/index.js';
import { requestKey } from '../auth.js';
import { ErrorReply } from '../schemas.js';

/** What the explore routes need. */
export interface ExploreRouteDeps {
  readonly wh: Warehouse;
}

const Text = Type.String({ minLength: 1, maxLength: 512 });

const EventsQuerystring = Type.Object(
  {
    event: Type.Optional(Text),
    person: Type.Optional(Text),
    property: Type.Optional(Text),
    value: Type.Optional(Type.String({ maxLength: 4096 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);

const AnyObject = Type.Record(Type.String(), Type.Unknown());
const Errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 500: ErrorReply };

/** `property` alone asks for events that carry it; with `value`, for events where it equals that. */
function eventListQuery(q: Static<typeof EventsQuerystring>): EventListQuery {
  const where = q.property
    ? q.value === undefined
      ? { property: q.property, op: 'is_set' as const }
      : { property: q.property, op: 'eq' as const, value: q.value }
    : undefined;
  return {
    ...(q.event ? { event: q.event } : {}),
    ...(q.person ? { person: q.person } : {}),
    ...(where ? { where } : {}),
    ...(q.limit ? { limit: q.limit } : {}),
  };
}

/** traits is JSON text in the store; the API answers with the object. */
function withTraits(row: Record<string, unknown>): Record<string, unknown> {
  return { ...row, traits: row.traits ? (JSON.parse(String(row.traits)) as unknown) : {} };
}

/** The live events tail, person search and profiles (`query` and `pii`), the event catalog (`query`). */
export function exploreRoutes(deps: ExploreRouteDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get(
      '/events',
      {
        // Raw events carry person-level data (README, "Access").
        config: { scopes: ['query', 'pii'] },
        schema: {
          tags: ['explore'],
          summary:
            'The newest events (live tail), by event name, person, and a property (is set, or equals value)',
          security: [{ readKey: [] }],
          querystring: EventsQuerystring,
          response: { 200: Type.Object({ events: Type.Array(AnyObject) }), ...Errors },
        },
      },
      async (request) => {
        const q = request.query as Static<typeof EventsQuerystring>;
        const events = await listEvents(deps.wh, requestKey(request).projectId, eventListQuery(q));
        request.auditRows = events.length;
        return { events };
      },
    );
    app.get(
      '/catalog',
      {
        config: { scopes: ['query'] },
        schema: {
          tags: ['explore'],
          summary: 'Event names with counts, and property keys of recent events (of one event when given)',
          security: [{ readKey: [] }],
          querystring: Type.Object({ event: Type.Optional(Text) }, { additionalProperties: false }),
          response: {
            200: Type.Object({
              events: Type.Array(Type.Object({ name: Type.String(), count: Type.Integer() })),
              properties: Type.Array(Type.String()),
            }),
            ...Errors,
          },
        },
      },
      async (request) => {
        const { event } = request.query as { event?: string };
        return readEventCatalog(deps.wh, requestKey(request).projectId, { event });
      },
    );
    app.get(
      '/persons',
      {
        config: { scopes: ['query', 'pii'] },
        schema: {
          tags: ['explore'],
          summary: 'Persons whose id, distinct ids or traits contain q (all when empty), last seen first',
          security: [{ readKey: [] }],
          querystring: Type.Object(
            {
              q: Type.Optional(Type.String({ maxLength: 512 })),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
              offset: Type.Optional(Type.Integer({ minimum: 0 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(AnyObject) }), ...Errors },
        },
      },
      async (request) => {
        const q = request.query as { q?: string; limit?: number; offset?: number };
        const found = await searchPersons(deps.wh, requestKey(request).projectId, q);
        request.auditRows = found.items.length;
        return found;
      },
    );
    app.get(
      '/persons/:id',
      {
        config: { scopes: ['query', 'pii'], auditSubject: true },
        schema: {
          tags: ['explore'],
          summary: "A person's profile (by person or distinct id) and newest sessions with their events",
          security: [{ readKey: [] }],
          params: Type.Object({ id: Text }),
          querystring: Type.Object(
            { sessions: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              person: AnyObject,
              distinctIds: Type.Array(AnyObject),
              sessions: Type.Array(AnyObject),
              moreSessions: Type.Integer(),
            }),
            ...Errors,
          },
        },
      },
      async (request) => {
        const { id } = request.params as { id: string };
        const { sessions } = request.query as { sessions?: number };
        const projectId = requestKey(request).projectId;
        const profile = await findPerson(deps.wh, projectId, id);
        if (!profile) throw new PathwiseError('PW_PERSON_NOT_FOUND', { id });
        const personId = String(profile.person.person_id);
        const timeline = await listPersonTimeline(deps.wh, projectId, personId, sessions ?? 20);
        return { person: withTraits(profile.person), distinctIds: profile.distinctIds, ...timeline };
      },
    );
  };
}
