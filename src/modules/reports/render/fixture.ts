import type { RenderedReport } from './types.js';

/**
 * A realistic rendered report for the output tests (docx, PDF, print): title, salutation, three levels of
 * headings, paragraphs long enough for two pages and more, a table of child orgs, a bar chart, closing,
 * signature and the data appendix. The text is written for zhibu; the numbers are made up for the test.
 */
const long = (s: string, times: number) => Array.from({ length: times }, () => s).join('');

export const REPORT_FIXTURE: RenderedReport = {
  title: '中共示范县城关街道幸福社区委员会书记2026年度抓基层党建工作述职报告',
  orgName: '中共示范县城关街道幸福社区委员会',
  year: 2026,
  status: 'final',
  salutation: '各位领导、同志们',
  sections: [
    { heading: '履行抓基层党建工作责任情况', level: 1, blocks: [
      { kind: 'paragraph', runs: [
        { text: '2026年，社区党委坚持以习近平新时代中国特色社会主义思想为指导，认真落实党建工作责任制，围绕组织建设、党员教育管理和服务群众三项重点任务，全年共召开党委会' },
        { text: '12', ref: 'p1' }, { text: '次、党员大会' }, { text: '4', ref: 'p2' },
        { text: '次，研究党建工作议题' }, { text: '18', ref: 'p3' },
        { text: '项，推动各项任务落到实处。' + long('社区党委把抓党建作为第一责任，书记带头谋划、带头部署、带头落实，定期听取各支部工作汇报，及时解决组织生活中遇到的困难和问题。', 3) },
      ] },
    ] },
    { heading: '组织建设', level: 2, blocks: [
      { kind: 'paragraph', runs: [{ text: '全社区共有党支部' }, { text: '4', ref: 'p4' }, { text: '个，党员' }, { text: '111', ref: 'p5' }, { text: '名。' + long('各支部按期换届，支部委员会配备齐全，支部书记均参加了县级以上集中培训，基础工作台账规范完整。', 3) }] },
      { kind: 'table', title: '表1  各支部基本情况', columns: ['支部', '党员人数', '党员大会（次）', '党费收缴率'], rows: [
        ['第一支部', '23', '4', '100.0%'], ['第二支部', '41', '4', '97.6%'], ['第三支部', '17', '3', '94.1%'], ['机关支部', '30', '4', '100.0%'],
      ] },
    ] },
    { heading: '三会一课', level: 3, blocks: [
      { kind: 'paragraph', runs: [{ text: long('各支部严格落实“三会一课”制度，支部委员会每月召开，党小组会按月组织，党课由支部书记和班子成员轮流讲授，做到计划在前、记录完整、档案齐全。', 3) }] },
    ] },
    { heading: '党员队伍', level: 2, blocks: [
      { kind: 'chart', title: '各支部党员人数', chart: 'bar', categories: ['第一支部', '第二支部', '第三支部', '机关支部'], values: [23, 41, 17, 30], unit: '人' },
      { kind: 'paragraph', runs: [{ text: long('全年发展党员3名，按期转正预备党员2名，发展对象均经过集中培训和政治审查，程序规范。党员参加组织生活比例保持在较高水平。', 3) }] },
    ] },
    { heading: '存在的问题', level: 1, blocks: [
      { kind: 'paragraph', runs: [{ text: long('一是部分支部组织生活形式较为单一，吸引力和感染力不强；二是流动党员管理还存在薄弱环节，联系不够经常；三是党建工作与社区治理结合还不够紧密。', 2) }] },
    ] },
    { heading: '下一步工作打算', level: 1, blocks: [
      { kind: 'paragraph', runs: [{ text: long('下一步，社区党委将继续压实党建工作责任，创新组织生活方式，加强流动党员教育管理，推动党建工作与社区治理深度融合，以高质量党建引领社区高质量发展。', 2) }] },
    ] },
  ],
  closing: ['以上报告，请予审议。'],
  signature: { orgName: '中共示范县城关街道幸福社区委员会', date: '2026-12-04' },
  appendix: [
    { figureId: 'orgLife.meeting.held', label: '党委会召开次数', definition: '期间内已召开并记录的党委会会议次数', period: '2026年1月1日至2026年12月31日', value: '12', evidenceCount: 12, digest: 'a1' },
    { figureId: 'members.count', label: '党员人数', definition: '期末在册的正式党员和预备党员人数', period: '截至2026年12月31日', value: '111', evidenceCount: 111, digest: 'b2' },
    { figureId: 'orgs.branches', label: '党支部个数', definition: '下设党支部的个数', period: '截至2026年12月31日', value: '4', evidenceCount: 4, digest: 'c3' },
  ],
};
