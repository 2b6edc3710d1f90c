import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { auditActor, scopeOf, typed } from '../http.js';
import { getCalendarYear, invalidateCalendarCache, replaceCalendarYear } from '../calendar.js';
import { hasMarkup } from '../sanitizer.js';
import { write } from '../write.js';

/**
 * The working-day calendar (DOMAIN.md §2.1a): anyone logged in may read a year (forms show which
 * days count); only sysAdmin replaces one. The data is national, so there is no org scope to check.
 */
const yearParam = z.object({ year: z.coerce.number().int('年份应为整数').min(2000, '年份应在2000—2100之间').max(2100, '年份应在2000—2100之间') });
const plain = (label: string, max: number) =>
  z.string().trim().max(max, `${label}最多${max}个字`).refine((s) => !hasMarkup(s), `${label}不能包含 HTML 标记`);
const dayEntry = z.object({
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD'),
  name: plain('名称', 20).optional(),
});

export function calendarRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = typed(app);
  r.get('/api/calendar/:year', {
    config: { auth: 'session' },
    schema: { summary: '某年的放假与调休上班日期（未录入时按周一至周五计算）', tags: ['calendar'], params: yearParam },
  }, async (req) => getCalendarYear(ctx.db, req.params.year));

  r.put('/api/calendar/:year', {
    config: { auth: 'system.admin', writes: true },
    schema: {
      summary: '录入或替换某年的放假与调休上班日期', tags: ['calendar'], params: yearParam,
      body: z.object({
        source: plain('来源', 200).optional(),
        holidays: z.array(dayEntry).max(120, '放假日期过多'),
        workdays: z.array(dayEntry).max(60, '调休上班日期过多'),
      }),
    },
  }, async (req) => {
    const scope = scopeOf(req, 'system.admin');
    const { source, holidays, workdays } = req.body;
    const norm = (list: typeof holidays) => list.map((d) => ({ day: d.day, name: d.name ?? '' }));
    try {
      return await write(ctx, scope.tenantId, auditActor(req), (w) =>
        replaceCalendarYear(w, req.params.year, { source: source || '系统管理员录入', holidays: norm(holidays), workdays: norm(workdays) }),
      );
    } finally {
      // after commit (or rollback): no reader may keep a year cached from before the change
      invalidateCalendarCache();
    }
  });
}
