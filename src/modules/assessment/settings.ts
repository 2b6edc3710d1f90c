import { z } from 'zod';
import { defineSetting } from '../../platform/settings.js';

/**
 * Assessment settings (DOMAIN.md §9.1, mostly LOCAL / UNVERIFIED): the grade cut-offs a session proposes
 * grades from, and the weight of each on-site rating grade. Per tenant, with subtree overrides.
 */
const gradeName = z.string().trim().min(1).max(10).refine((s) => !/[<>]/.test(s), '等次名称不能包含 < 或 >');

export const ASSESSMENT_SETTINGS = {
  gradeCutoffs: defineSetting({
    key: 'assessment.gradeCutoffs', label: '考核等次分数线（总分达到该分数即为该等次，从高到低）',
    schema: z.array(z.object({ grade: gradeName, min: z.number().min(0).max(1000) })).min(1).max(10),
    default: [{ grade: '好', min: 90 }, { grade: '较好', min: 80 }, { grade: '一般', min: 60 }, { grade: '差', min: 0 }],
    source: 'DOMAIN.md §9.1（好/较好/一般/差，分数线无全国规定）', mark: 'UNVERIFIED',
  }),
  ratingWeights: defineSetting({
    key: 'assessment.ratingWeights', label: '现场测评各等次票的折算系数（得分 = 满分 × 加权票数 ÷ 总票数 ÷ 最高系数）',
    schema: z.record(gradeName, z.number().min(0).max(1)),
    default: { 好: 1, 较好: 0.8, 一般: 0.6, 差: 0 } as Record<string, number>,
    source: 'DOMAIN.md §9.1（现场测评）', mark: 'LOCAL',
  }),
  secretaryVacantMonths: defineSetting({
    key: 'weakOrg.secretaryVacantMonths', label: '软弱涣散排查：书记出缺超过多少个月列为候选',
    schema: z.number().int().min(1).max(24), default: 3, source: 'DOMAIN.md §9.2（书记出缺>3个月）', mark: 'LOCAL',
  }),
  identifyFrom: defineSetting({
    key: 'weakOrg.identifyFrom', label: '软弱涣散年度排查开始日（MM-DD，每年从该日起按上一年度记录提出候选）',
    schema: z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, '格式应为 MM-DD'), default: '01-01', source: 'DOMAIN.md §9.2（每年年初排查）', mark: 'LOCAL',
  }),
};
