import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { one, type Db } from '../db/connection.js';
import type { Actor } from './audit.js';
import type { AppContext } from './context.js';
import { AppError, invalid, notFound } from './errors.js';
import { inScope, type Scope } from './scope.js';
import { defineSetting, getSetting } from './settings.js';
import { write } from './write.js';

/**
 * Attachments (ARCHITECTURE.md "Shared services, each once"): one store for every module's files.
 * The type is decided by the CONTENT (magic bytes, and for Office files the zip's own directory)
 * against an allowlist — never by the extension or the client's MIME type. Size is capped by a
 * setting, the SHA-256 is stored, and reading goes through the same org scope as everything else.
 */

/** The multipart plugin's own cap in app.ts (limits.fileSize); the setting cannot exceed it. */
export const ATTACHMENT_HARD_CAP = 50 * 1024 * 1024;

export const ATTACHMENT_MAX_BYTES = defineSetting({
  key: 'attachments.maxBytes', label: '单个附件大小上限（字节，默认 20 MiB，最大 50 MiB）',
  schema: z.number().int().min(1024).max(ATTACHMENT_HARD_CAP), default: 20 * 1024 * 1024,
  source: 'ARCHITECTURE.md “Shared services, each once”', mark: 'PROJECT',
});

// --- storage ----------------------------------------------------------------------------------

/**
 * Where attachment bytes live. Keys are opaque `<tenant>/<yyyy>/<mm>/<random id>` strings made by
 * this module. The local-disk store below is the default; an S3-compatible adapter (optional, off by
 * default, untested here) would implement this same interface against a bucket, with the key as the
 * object name — nothing else in the application would change.
 */
export interface AttachmentStore {
  put(key: string, data: Buffer): Promise<void>;
  /** The bytes; throws notFound when the object is missing. */
  get(key: string): Promise<Readable>;
  remove(key: string): Promise<void>;
}

const KEY_RE = /^\d+\/\d{4}\/\d{2}\/[0-9a-f]{32}$/;

export class LocalDiskStore implements AttachmentStore {
  constructor(private readonly root: string) {}

  private path(key: string): string {
    // keys come from newStorageKey(), but a row could be edited by hand: never leave the root
    if (!KEY_RE.test(key)) throw new Error(`invalid attachment storage key: ${key}`);
    return join(this.root, ...key.split('/'));
  }

  async put(key: string, data: Buffer): Promise<void> {
    const file = this.path(key);
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    // write beside, then rename: a reader never sees half a file
    const tmp = `${file}.part`;
    await writeFile(tmp, data, { flag: 'wx', mode: 0o600 });
    await rename(tmp, file);
  }

  async get(key: string): Promise<Readable> {
    const file = this.path(key);
    try {
      await stat(file);
    } catch {
      throw new AppError('notFound', '附件文件在存储中缺失，请联系系统管理员');
    }
    return createReadStream(file);
  }

  async remove(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
}

export const attachmentStore = (ctx: AppContext): AttachmentStore => new LocalDiskStore(join(ctx.dataDir, 'attachments'));

export function newStorageKey(tenantId: number, today: string): string {
  const [yyyy, mm] = today.split('-');
  return `${tenantId}/${yyyy}/${mm}/${randomBytes(16).toString('hex')}`;
}

// --- content sniffing ---------------------------------------------------------------------------

/** The allowlist: sniffed type → a Chinese name for messages. */
export const ALLOWED_TYPES = {
  'image/jpeg': 'JPEG 图片',
  'image/png': 'PNG 图片',
  'image/webp': 'WebP 图片',
  'application/pdf': 'PDF 文档',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word 文档（docx）',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel 表格（xlsx）',
  'text/plain': '纯文本（UTF-8）',
} as const;
export type AllowedMime = keyof typeof ALLOWED_TYPES;

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflate */
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

/**
 * The entries of a zip's central directory, or null when the bytes are not a well-formed zip (no
 * end record, entries out of bounds, zip64). Reads the directory only; never inflates anything.
 */
export function listZipEntries(buf: Buffer): ZipEntry[] | null {
  if (buf.length < 22 || buf.readUInt32LE(0) !== 0x04034b50) return null;
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) return null;
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff || cdOffset + cdSize > eocd) return null;
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > eocd || buf.readUInt32LE(p) !== 0x02014b50) return null;
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    if (p + 46 + nameLen > eocd) return null;
    const entry: ZipEntry = {
      name: buf.toString('utf8', p + 46, p + 46 + nameLen),
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      localHeaderOffset: buf.readUInt32LE(p + 42),
    };
    if (entry.localHeaderOffset + 30 > cdOffset || entry.localHeaderOffset + entry.compressedSize > cdOffset) return null;
    entries.push(entry);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

const startsWith = (buf: Buffer, bytes: number[], at = 0) => buf.length >= at + bytes.length && bytes.every((b, i) => buf[at + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/**
 * Text that is valid UTF-8 and holds no control characters but tab, line feed, carriage return and
 * form feed — and is not a markup document (HTML, SVG, XML start with `<` + a letter, `!` or `?`):
 * those are active content in a browser, and "plain text" is what the allowlist promises.
 */
function isPlainUtf8(buf: Buffer): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return false;
  }
  return !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text) && !/^[\s\ufeff]*<[a-zA-Z!?/]/.test(text);
}

/** The type of the bytes, or null when they are none of the allowed kinds. */
export function sniffType(buf: Buffer): AllowedMime | null {
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(buf, ascii('RIFF')) && startsWith(buf, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(buf, ascii('%PDF-'))) return 'application/pdf';
  if (startsWith(buf, [0x50, 0x4b, 0x03, 0x04])) {
    const names = listZipEntries(buf)?.map((e) => e.name);
    if (!names || !names.includes('[Content_Types].xml')) return null;
    if (names.includes('word/document.xml')) return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    if (names.includes('xl/workbook.xml')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    return null;
  }
  if (buf.length > 0 && isPlainUtf8(buf)) return 'text/plain';
  return null;
}

// --- names and headers --------------------------------------------------------------------------

/**
 * Browsers send a multipart filename as raw UTF-8 bytes, which the multipart parser decodes as
 * latin1 unless told otherwise (busboy's `defParamCharset`): 会议.docx arrives as "ä¼\x9aè®®.docx".
 * Undo that when the latin1 bytes are valid UTF-8; a name that really is latin1 is not valid UTF-8
 * and stays as it is, and a correctly decoded Chinese name (code points above U+00FF) is untouched.
 */
export function repairFilename(name: string): string {
  if (!/[\u0080-\u00ff]/.test(name) || /[^\u0000-\u00ff]/.test(name)) return name;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(name, 'latin1'));
  } catch {
    return name;
  }
}

/**
 * A client filename made safe to store and to send back: the last path component, without control
 * characters or the characters Windows refuses in names (which also rules out markup), at most 120
 * characters keeping the extension. Display still escapes it like any text.
 */
export function cleanFilename(raw: string | undefined): string {
  const base = repairFilename(raw ?? '').split(/[\\/]/).pop() ?? '';
  let name = base.normalize('NFC').replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_').trim().replace(/^\.+/, '');
  if (name.length > 120) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
    name = name.slice(0, 120 - ext.length) + ext;
  }
  return name || '附件';
}

/** RFC 6266 / RFC 5987: an ASCII fallback plus the UTF-8 name, so Chinese names survive every browser. */
export function contentDisposition(filename: string, inline: boolean): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%;]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${inline ? 'inline' : 'attachment'}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

// --- service ----------------------------------------------------------------------------------

export interface AttachmentMeta {
  id: number;
  orgId: number;
  orgPath: string;
  filename: string;
  mime: AllowedMime;
  size: number;
  sha256: string;
  storageKey: string;
}

export const maxBytesFor = (db: Db, tenantId: number, orgPath: string | null) => getSetting(db, tenantId, orgPath, ATTACHMENT_MAX_BYTES);

export const tooLarge = (max: number) =>
  new AppError('validation', `文件超过大小上限（${formatBytes(max)}）`, { fields: { file: `文件不能超过 ${formatBytes(max)}` } });

export const formatBytes = (n: number) => (n >= 1024 * 1024 ? `${+(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`);

/** The org an attachment is filed under, when it is in the caller's scope; 404 otherwise. */
export async function orgInScope(db: Db, scope: Scope, orgId: number): Promise<{ id: number; path: string }> {
  const org = await one<{ id: number; path: string }>(db, sql`select id, path from orgs where id = ${orgId} and tenant_id = ${scope.tenantId}`);
  if (!org || !inScope(scope, org.path)) throw notFound('组织');
  return org;
}

/**
 * Check and store a file for an org already checked to be in scope: refuses what is too large for
 * the org's setting or not of an allowed type, stores the bytes, then records and audits the row in
 * one write. If the write fails the stored bytes are removed again.
 */
export async function saveAttachment(
  ctx: AppContext,
  input: { tenantId: number; actor: Actor; org: { id: number; path: string }; filename: string | undefined; data: Buffer },
): Promise<{ id: number; filename: string; mime: AllowedMime; size: number; sha256: string }> {
  const max = await maxBytesFor(ctx.db, input.tenantId, input.org.path);
  if (input.data.length > max) throw tooLarge(max);
  if (input.data.length === 0) throw invalid('文件为空', { file: '文件为空' });
  const mime = sniffType(input.data);
  if (!mime) {
    const kinds = Object.values(ALLOWED_TYPES).join('、');
    throw invalid(`不支持的文件类型（按文件内容判断，不看扩展名）。可上传：${kinds}`, { file: '不支持的文件类型' });
  }
  const filename = cleanFilename(input.filename);
  const sha256 = createHash('sha256').update(input.data).digest('hex');
  const store = attachmentStore(ctx);
  const key = newStorageKey(input.tenantId, ctx.clock.today());
  await store.put(key, input.data);
  try {
    return await write(ctx, input.tenantId, input.actor, async (w) => {
      const row = await one<{ id: number }>(w.tx, sql`insert into attachments (tenant_id, org_id, org_path, filename, mime, size, sha256, storage_key, created_by, created_at, updated_at)
        values (${input.tenantId}, ${input.org.id}, ${input.org.path}, ${filename}, ${mime}, ${input.data.length}, ${sha256}, ${key}, ${input.actor.label}, ${w.now}, ${w.now}) returning id`);
      const id = Number(row!.id);
      w.audit({ action: 'create', entity: 'attachment', entityId: id, orgId: input.org.id, after: { filename, mime, size: input.data.length, sha256 } });
      return { id, filename, mime, size: input.data.length, sha256 };
    });
  } catch (e) {
    await store.remove(key).catch(() => undefined);
    throw e;
  }
}

/** An attachment's metadata when it is in the caller's scope; 404 otherwise (existence is not leaked). */
export async function getAttachment(db: Db, scope: Scope, id: number): Promise<AttachmentMeta> {
  const r = await one<{ id: number; org_id: number; org_path: string; filename: string; mime: string; size: number; sha256: string; storage_key: string }>(
    db, sql`select id, org_id, org_path, filename, mime, size, sha256, storage_key from attachments where id = ${id} and tenant_id = ${scope.tenantId}`,
  );
  if (!r || !inScope(scope, r.org_path)) throw notFound('附件');
  return {
    id: Number(r.id), orgId: Number(r.org_id), orgPath: r.org_path, filename: r.filename, mime: r.mime as AllowedMime,
    size: Number(r.size), sha256: r.sha256, storageKey: r.storage_key,
  };
}
