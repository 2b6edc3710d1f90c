import { sql, type SQL } from 'drizzle-orm';
import { one, rows } from '../../db/connection.js';
import { GENDERS, MEMBER_STAGES } from '../../domain/vocab.js';
import { registerFigure, type FigureContext, type FigureQuery } from '../../platform/figures.js';
import { pathPredicate } from '../../platform/scope.js';

/**
 * Development figures (issue 14 §9; DOMAIN.md §2.5, §6). The pipeline is a stock as of `to`: the
 * effective-dated membership periods valid on that date at stage 入党申请人 / 积极分子 / 发展对象 /
 * 预备党员, state 正常, at an org inside the requested subtree ∩ the caller's scope, so past values
 * never move. Approvals (接收预备党员, step 17) and confirmations (转正, step 24) are flows counted by
 * the approval date (DOMAIN.md §2.5 "count in the year of the approval date"), at the org where the
 * step was recorded. Every value has evidence rows that sum to it.
 */
const PIPELINE_STAGES = MEMBER_STAGES.filter((s) => s.key !== 'full');

function pipelineFrom(ctx: FigureContext, to: string): SQL {
  return sql`from membership_periods m join people p on p.id = m.person_id join orgs o on o.id = m.org_id
    where m.tenant_id = ${ctx.scope.tenantId} and m.valid_from <= ${to} and (m.valid_to is null or m.valid_to > ${to})
      and m.stage in ('applicant','activist','candidate','probationary') and m.state = 'active' and ${pathPredicate(sql`o.path`, ctx.scope)}`;
}

registerFigure({
  id: 'development.pipeline.count',
  label: '发展党员工作各阶段人数',
  definition: '截至统计期末，组织关系在本组织（含下级）、状态正常的入党申请人、入党积极分子、发展对象和预备党员人数，可按阶段分列（按当日有效的人员类别记录计算，历史数值不随后来的变动而改变）。',
  unit: 'count', kind: 'stock', source: 'DOMAIN.md §2.1, §6', dimensions: { stage: '阶段' },
  async compute(ctx, q) {
    const r = await rows<{ stage: string; n: number }>(ctx.db, sql`select m.stage, count(*)::int as n ${pipelineFrom(ctx, q.to)} group by 1`);
    const by = new Map(r.map((x) => [x.stage, x.n]));
    const value = r.reduce((s, x) => s + x.n, 0);
    return {
      value, status: 'ok', unit: 'count',
      breakdown: q.by === 'stage' ? PIPELINE_STAGES.map((s) => ({ key: s.key, label: s.label, value: by.get(s.key) ?? 0 })) : undefined,
    };
  },
  async evidence(ctx, q, page) {
    const total = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n ${pipelineFrom(ctx, q.to)}`);
    const items = await rows<{ id: number; version: number; valid_from: string; org_id: number; name: string; stage: string; org_name: string }>(ctx.db,
      sql`select m.id, m.version, m.valid_from::text as valid_from, m.org_id, p.name, m.stage, o.name as org_name ${pipelineFrom(ctx, q.to)}
        order by o.path, m.stage, p.name, m.id limit ${page.limit} offset ${page.offset}`);
    const label = (k: string) => PIPELINE_STAGES.find((s) => s.key === k)?.label ?? k;
    return {
      total: total?.n ?? 0,
      items: items.map((r) => ({ entity: 'membershipPeriod', id: Number(r.id), version: r.version, date: r.valid_from, orgId: Number(r.org_id), label: `${r.org_name} ${r.name}：${label(r.stage)}（自${r.valid_from}）`, contributes: 1 })),
    };
  },
});

function approvalsFrom(ctx: FigureContext, q: FigureQuery, step: number): SQL {
  return sql`from development_steps s join people p on p.id = s.person_id join orgs o on o.id = s.org_id
    where s.tenant_id = ${ctx.scope.tenantId} and s.step = ${step} and (s.decision is null or s.decision <> 'rejected')
      and s.done_on between ${q.from} and ${q.to} and ${pathPredicate(sql`s.org_path`, ctx.scope)}`;
}

for (const [id, step, label, definition] of [
  ['development.approved.count', 17, '批准接收的预备党员人数', '统计期内（按上级党委审批日期）经审批接收为预备党员的人数，按审批时所在党组织（含下级）统计。'],
  ['development.confirmed.count', 24, '批准转正的预备党员人数', '统计期内（按上级党委审批日期）经审批按期或延期转为正式党员的人数，按审批时所在党组织（含下级）统计。'],
] as const) {
  registerFigure({
    id, label, definition, unit: 'count', kind: 'flow', source: 'DOMAIN.md §2.1, §2.5', dimensions: { gender: '性别' },
    async compute(ctx, q) {
      const r = await rows<{ gender: string; n: number }>(ctx.db, sql`select p.gender, count(*)::int as n ${approvalsFrom(ctx, q, step)} group by 1`);
      const by = new Map(r.map((x) => [x.gender, x.n]));
      return {
        value: r.reduce((s, x) => s + x.n, 0), status: 'ok', unit: 'count',
        breakdown: q.by === 'gender' ? GENDERS.map((g) => ({ key: g.key, label: g.label, value: by.get(g.key) ?? 0 })) : undefined,
      };
    },
    async evidence(ctx, q, page) {
      const total = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n ${approvalsFrom(ctx, q, step)}`);
      const items = await rows<{ id: number; version: number; done_on: string; org_id: number; name: string; org_name: string }>(ctx.db,
        sql`select s.id, s.version, s.done_on::text as done_on, s.org_id, p.name, o.name as org_name ${approvalsFrom(ctx, q, step)}
          order by s.done_on, s.id limit ${page.limit} offset ${page.offset}`);
      return {
        total: total?.n ?? 0,
        items: items.map((r) => ({ entity: 'developmentStep', id: Number(r.id), version: r.version, date: r.done_on, orgId: Number(r.org_id), label: `${r.org_name} ${r.name}：${label}（${r.done_on}审批）`, contributes: 1 })),
      };
    },
  });
}
