import { integer, text } from 'drizzle-orm/pg-core';

/** Columns every table carries: `version` is bumped on every update and forms the evidence key
 * `entity:id:version` (ARCHITECTURE.md "Figures"). Timestamps are ISO strings set by the clock. */
export const versioned = {
  version: integer('version').notNull().default(1),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
};
