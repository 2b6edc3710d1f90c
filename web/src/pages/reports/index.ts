/**
 * Reports pages (issue 13), wired by web/src/routes.tsx:
 *   /reports                   ReportsListPage      述职报告      reports.read
 *   /reports/:id               ReportEditorPage     (draft / final report)  reports.read
 *   /reports/templates         TemplatesPage        报告模板      reports.read (edit: reports.templates)
 *   /reports/templates/:key    TemplateEditPage     (one template)
 *   /reports/review            ReviewPage           述职评议      reports.review
 *   /reports/rectifications    RectificationsPage   整改事项      reports.read
 *   /figures                   FiguresCataloguePage 数据项目录    figures.read (web/src/pages/figures)
 */
export { ReportsListPage } from './ReportsListPage';
export { ReportEditorPage } from './ReportEditorPage';
export { TemplatesPage } from './TemplatesPage';
export { TemplateEditPage } from './TemplateEditPage';
export { ReviewPage } from './ReviewPage';
export { RectificationsPage } from './RectificationsPage';
export { REPORT_PATHS } from './shared';
