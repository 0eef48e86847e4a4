import Type, { type Static } from 'typebox';
import { PropertyFilter } from './filter.js';

/** The newest events of a project (the live tail): optionally one event name, one person, filters. */
export const EventListQuery = Type.Object(
  {
    event: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
    /** A person id or any distinct id: matches the row's person key or its distinct id. */
    person: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
    where: Type.Optional(PropertyFilter),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);
export type EventListQuery = Static<typeof EventListQuery>;
