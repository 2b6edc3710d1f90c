/**
 * Organizational-life pages (issue 4). Suggested routes and menu labels (wired by web/src/routes.tsx):
 *   /orgLife               OrgLifeCalendarPage    组织生活        members.read
 *   /orgLife/new           QuickMeetingPage       记录会议        members.write
 *   /orgLife/meetings/:id  MeetingDetailPage      (detail)        members.read
 *   /orgLife/matrix        ComplianceMatrixPage   组织生活统计    members.read
 *   /orgLife/reviews       ReviewsPage            民主评议        members.read
 *   /orgLife/talks         HeartTalksPage         谈心谈话        members.read
 *   /orgLife/study         StudyPage              学习学时        members.read
 *   /orgLife/import        LedgerImportPage       导入会议台账    members.import
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
