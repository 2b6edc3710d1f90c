import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { auditActor, scopeOf, typed } from '../http.js';
import { invalid } from '../errors.js';
import {
  ATTACHMENT_HARD_CAP, attachmentStore, contentDisposition, getAttachment, maxBytesFor, orgInScope, saveAttachment, tooLarge,
} from '../attachments.js';

/**
 * Upload and download of attachments. Upload is multipart: a field `org` (the org the file belongs
 * to; it must be in the caller's scope) and a field `file`. Send `org` first: the size limit can
 * then be enforced while the file streams in; when the file comes first it is read up to the hard
 * cap and checked afterwards.
 */
const orgField = z.coerce.number({ error: '请选择附件所属组织' }).int('组织编号应为整数').positive('请选择附件所属组织');

export function attachmentRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = typed(app);
  r.post('/api/attachments', {
    config: { auth: 'members.write', writes: true },
    schema: { summary: '上传附件（类型按文件内容判断）', tags: ['attachments'], consumes: ['multipart/form-data'] },
  }, async (req, reply) => {
    const scope = scopeOf(req, 'members.write');
    if (!req.isMultipart()) throw invalid('请以 multipart/form-data 方式上传文件', { file: '请选择文件' });
    let org: { id: number; path: string } | null = null;
    let file: { filename: string; data: Buffer } | null = null;
    let limit = ATTACHMENT_HARD_CAP;
    for await (const part of req.parts()) {
      if (part.type === 'field') {
        if (part.fieldname !== 'org' || org) continue;
        const parsed = orgField.safeParse(part.value);
        if (!parsed.success) throw invalid(parsed.error.issues[0].message, { org: parsed.error.issues[0].message });
        org = await orgInScope(ctx.db, scope, parsed.data);
        limit = await maxBytesFor(ctx.db, scope.tenantId, org.path);
        continue;
      }
      if (part.fieldname !== 'file' || file) {
        part.file.resume(); // not ours: drain it so the parser moves on
        continue;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of part.file as AsyncIterable<Buffer>) {
        size += chunk.length;
        // leaving the loop destroys the stream; the multipart parser then ends the iteration
        if (size > limit) throw tooLarge(limit);
        chunks.push(chunk);
      }
      if (part.file.truncated) throw tooLarge(Math.min(limit, ATTACHMENT_HARD_CAP));
      file = { filename: part.filename, data: Buffer.concat(chunks, size) };
    }
    if (!org) throw invalid('请选择附件所属组织', { org: '请选择附件所属组织' });
    if (!file) throw invalid('请选择要上传的文件', { file: '请选择要上传的文件' });
    const saved = await saveAttachment(ctx, { tenantId: scope.tenantId, actor: auditActor(req), org, filename: file.filename, data: file.data });
    return reply.code(201).send({ id: saved.id, filename: saved.filename, mime: saved.mime, size: saved.size });
  });

  r.get('/api/attachments/:id', {
    config: { auth: 'members.read' },
    schema: { summary: '下载附件', tags: ['attachments'], params: z.object({ id: z.coerce.number().int().positive() }) },
  }, async (req, reply) => {
    const scope = scopeOf(req, 'members.read');
    const meta = await getAttachment(ctx.db, scope, req.params.id);
    const stream = await attachmentStore(ctx).get(meta.storageKey);
    // Images and PDFs open in the browser; everything else downloads. nosniff keeps the browser to
    // the sniffed type we stored; the sandbox CSP stops any active content that slipped through.
    const inline = meta.mime.startsWith('image/') || meta.mime === 'application/pdf';
    reply
      .header('Content-Type', meta.mime === 'text/plain' ? 'text/plain; charset=utf-8' : meta.mime)
      .header('Content-Length', String(meta.size))
      .header('Content-Disposition', contentDisposition(meta.filename, inline))
      .header('X-Content-Type-Options', 'nosniff')
      .header('Cache-Control', 'private, no-cache')
      .header('ETag', `"${meta.sha256}"`);
    if (meta.mime !== 'application/pdf') reply.header('Content-Security-Policy', "default-src 'none'; img-src 'self'; sandbox");
    return reply.send(stream);
  });
}
