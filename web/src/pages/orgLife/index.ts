/**
 * Organizational-life pages (issue 4). Suggested routes and menu labels (wired by web/src/routes.tsx):
 *   /orgLife               OrgLifeCalendarPage    组织生活        orgLife.read
 *   /orgLife/new           QuickMeetingPage       记录会议        orgLife.write
 *   /orgLife/meetings/:id  MeetingDetailPage      (detail)        orgLife.read
 *   /orgLife/matrix        ComplianceMatrixPage   组织生活统计    orgLife.read
 *   /orgLife/reviews       ReviewsPage            民主评议        orgLife.read
 *   /orgLife/talks         HeartTalksPage         谈心谈话        orgLife.read
 *   /orgLife/study         StudyPage              学习学时        orgLife.read
 *   /orgLife/import        LedgerImportPage       导入会议台账    orgLife.import
 * Every page file also has a default export for React.lazy.
 */
export { OrgLifeCalendarPage } from './OrgLifeCalendarPage';
export { QuickMeetingPage } from './QuickMeetingPage';
export { MeetingDetailPage } from './MeetingDetailPage';
export { ComplianceMatrixPage } from './ComplianceMatrixPage';
export { ReviewsPage } from './ReviewsPage';
export { HeartTalksPage } from './HeartTalksPage';
export { StudyPage } from './StudyPage';
export { LedgerImportPage } from './LedgerImportPage';
export { ORG_LIFE_PATHS } from './shared';
