import { index, integer, pgTable, serial, text } from 'drizzle-orm/pg-core';
import { versioned } from './common.js';
import { tenants } from './orgs.js';

/**
 * Uploaded files (ARCHITECTURE.md "Shared services"): the bytes live in an AttachmentStore under the
 * data dir, keyed by `storage_key`; this row holds what was checked — the type sniffed from the
 * content (never the client's claim), the size and the SHA-256 — and the org whose scope guards it.
 */
export const attachments = pgTable(
  'attachments',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    orgId: integer('org_id').notNull(),
    orgPath: text('org_path').notNull(),
    filename: text('filename').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull().unique(),
    /** The audit actor label ('user:<id>', 'cli:<os user>'), as import_runs.created_by. */
    createdBy: text('created_by').notNull(),
    ...versioned,
  },
  (t) => [
    index('attachments_path_idx').using('btree', t.orgPath.op('text_pattern_ops')),
    index('attachments_sha256_idx').on(t.tenantId, t.sha256),
  ],
);
