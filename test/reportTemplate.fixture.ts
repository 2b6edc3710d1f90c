import type { ReportTemplate } from '../src/modules/reports/contract.js';

/** A small branch work-summary template for the reports tests (the shipped ones live in templates/). */
export const TEST_TEMPLATE: Omit<ReportTemplate, 'version'> = {
  key: 'testBranchSummary', name: '测试用支部工作总结', kind: 'workSummary', orgKinds: ['branch'],
  title: '{{org}}{{year}}年度工作总结', salutation: '各位领导、同志们：',
  sections: [
    {
      heading: '一、基本情况', level: 1, blocks: [
        { type: 'paragraph', text: '本支部现有党员{{fig members.count period=cumulative}}名。全年召开各类会议{{fig orgLife.meeting.held}}次，其中主题党日{{fig orgLife.meeting.held by=kind key=themedPartyDay}}次{{if fig orgLife.meeting.held period=lastYear}}，{{fig orgLife.meeting.held format=yoy}}{{/if}}。' },
        { type: 'paragraph', text: '全年走访群众{{field visits label="走访群众户数" reason="暂无模块统计" unit=户 type=integer}}户。' },
        { type: 'chart', title: '会议构成', chart: 'bar', fig: { id: 'orgLife.meeting.held', by: 'kind' } },
      ],
    },
    { heading: '二、特色做法', level: 1, blocks: [{ type: 'narrative', label: '特色做法' }] },
    { heading: '三、上年度评议意见整改情况', level: 1, blocks: [{ type: 'block', name: 'lastYearReview' }] },
    { heading: '四、明年工作计划', level: 1, blocks: [{ type: 'narrative', label: '下一年度工作计划' }] },
  ],
  closing: ['以上报告，请审议。'], signature: true,
};
