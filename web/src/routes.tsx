import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Result, Spin } from 'antd';
import { useAuth } from './auth/AuthContext';
import { AppShell } from './layout/AppShell';
import { LoginPage } from './pages/LoginPage';
import { WorkbenchPage } from './pages/workbench/WorkbenchPage';

// Pages other than login and the workbench load on first visit; the statistics page brings ECharts.
const OrgsPage = lazy(() => import('./pages/orgs/OrgsPage'));
const MembersPage = lazy(() => import('./pages/members/MembersPage'));
const MemberDetailPage = lazy(() => import('./pages/members/MemberDetailPage'));
const MemberEditPage = lazy(() => import('./pages/members/MemberEditPage'));
const ImportPage = lazy(() => import('./pages/import/ImportPage'));
const StatsPage = lazy(() => import('./pages/stats/StatsPage'));
const AuditPage = lazy(() => import('./pages/audit/AuditPage'));
const SettingsPage = lazy(() => import('./pages/settings/SettingsPage'));
const ProfilePage = lazy(() => import('./pages/profile/ProfilePage'));
const UsersPage = lazy(() => import('./pages/users/UsersPage'));
const PersonalDataHoldersPage = lazy(() => import('./pages/users/PersonalDataHoldersPage'));
const CalendarPage = lazy(() => import('./pages/calendar/CalendarPage'));
const OrgLifeCalendarPage = lazy(() => import('./pages/orgLife/OrgLifeCalendarPage'));
const QuickMeetingPage = lazy(() => import('./pages/orgLife/QuickMeetingPage'));
const MeetingDetailPage = lazy(() => import('./pages/orgLife/MeetingDetailPage'));
const ComplianceMatrixPage = lazy(() => import('./pages/orgLife/ComplianceMatrixPage'));
const ReviewsPage = lazy(() => import('./pages/orgLife/ReviewsPage'));
const HeartTalksPage = lazy(() => import('./pages/orgLife/HeartTalksPage'));
const StudyPage = lazy(() => import('./pages/orgLife/StudyPage'));
const LedgerImportPage = lazy(() => import('./pages/orgLife/LedgerImportPage'));
const DuesCollectionPage = lazy(() => import('./pages/dues/DuesCollectionPage'));
const DuesBasesPage = lazy(() => import('./pages/dues/DuesBasesPage'));
const DuesHandInPage = lazy(() => import('./pages/dues/DuesHandInPage'));
const DuesDisclosurePage = lazy(() => import('./pages/dues/DuesDisclosurePage'));
const MyDuesPage = lazy(() => import('./pages/dues/MyDuesPage'));
const ReportsListPage = lazy(() => import('./pages/reports/ReportsListPage'));
const ReportEditorPage = lazy(() => import('./pages/reports/ReportEditorPage'));
const TemplatesPage = lazy(() => import('./pages/reports/TemplatesPage'));
const TemplateEditPage = lazy(() => import('./pages/reports/TemplateEditPage'));
const ReviewPage = lazy(() => import('./pages/reports/ReviewPage'));
const RectificationsPage = lazy(() => import('./pages/reports/RectificationsPage'));
const FiguresCataloguePage = lazy(() => import('./pages/figures/FiguresCataloguePage'));
const AssessmentListPage = lazy(() => import('./pages/assessment/AssessmentListPage'));
const AssessmentSheetPage = lazy(() => import('./pages/assessment/AssessmentSheetPage'));
const WeakOrgsPage = lazy(() => import('./pages/assessment/WeakOrgsPage'));
const DevelopmentBoardPage = lazy(() => import('./pages/development/DevelopmentBoardPage'));
const RequestInboxPage = lazy(() => import('./pages/requests/RequestInboxPage'));
// Resident H5 pages: public, no login, outside the app shell.
const PublicRequestPage = lazy(() => import('./pages/requests/PublicRequestPage'));
const PublicTrackPage = lazy(() => import('./pages/requests/PublicTrackPage'));

/** Route table. `perm` is the server permission the page needs (from GET /api/auth/me). */
export const ROUTES = {
  workbench: '/',
  orgs: '/orgs',
  members: '/members',
  memberNew: '/members/new',
  memberImport: '/members/import',
  stats: '/stats',
  audit: '/audit',
  settings: '/settings',
  users: '/users',
  calendar: '/calendar',
  profile: '/profile',
} as const;

function RequireAuth({ children }: { children: ReactNode }) {
  const { me } = useAuth();
  const location = useLocation();
  if (!me) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <>{children}</>;
}

function Gate({ perm, children }: { perm: string; children: ReactNode }) {
  const { can } = useAuth();
  if (!can(perm)) return <Result status="403" title="无权访问" subTitle="您的账户没有查看此页面的权限。" />;
  return <Suspense fallback={<div className="page-spinner"><Spin /></div>}>{children}</Suspense>;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/h5/request" element={<Suspense fallback={<div className="page-spinner"><Spin /></div>}><PublicRequestPage /></Suspense>} />
      <Route path="/h5/track" element={<Suspense fallback={<div className="page-spinner"><Spin /></div>}><PublicTrackPage /></Suspense>} />
      <Route
        element={
          <RequireAuth>
            <AppShell />
          </RequireAuth>
        }
      >
        <Route index element={<WorkbenchPage />} />
        <Route path="orgs" element={<Gate perm="orgs.read"><OrgsPage /></Gate>} />
        <Route path="orgs/:id" element={<Gate perm="orgs.read"><OrgsPage /></Gate>} />
        <Route path="members" element={<Gate perm="members.read"><MembersPage /></Gate>} />
        <Route path="members/new" element={<Gate perm="members.write"><MemberEditPage /></Gate>} />
        <Route path="members/import" element={<Gate perm="members.import"><ImportPage /></Gate>} />
        <Route path="members/:id" element={<Gate perm="self.read"><MemberDetailPage /></Gate>} />
        <Route path="members/:id/edit" element={<Gate perm="members.write"><MemberEditPage /></Gate>} />
        <Route path="development" element={<Gate perm="development.read"><DevelopmentBoardPage /></Gate>} />
        <Route path="stats" element={<Gate perm="figures.read"><StatsPage /></Gate>} />
        <Route path="audit" element={<Gate perm="audit.read"><AuditPage /></Gate>} />
        <Route path="settings" element={<Gate perm="settings.write"><SettingsPage /></Gate>} />
        <Route path="users" element={<Gate perm="grants.write"><UsersPage /></Gate>} />
        <Route path="users/personal-data" element={<Gate perm="grants.write"><PersonalDataHoldersPage /></Gate>} />
        <Route path="calendar" element={<Gate perm="session"><CalendarPage /></Gate>} />
        <Route path="orgLife" element={<Gate perm="orgLife.read"><OrgLifeCalendarPage /></Gate>} />
        <Route path="orgLife/new" element={<Gate perm="orgLife.write"><QuickMeetingPage /></Gate>} />
        <Route path="orgLife/meetings/:id" element={<Gate perm="orgLife.read"><MeetingDetailPage /></Gate>} />
        <Route path="orgLife/matrix" element={<Gate perm="orgLife.read"><ComplianceMatrixPage /></Gate>} />
        <Route path="orgLife/reviews" element={<Gate perm="orgLife.read"><ReviewsPage /></Gate>} />
        <Route path="orgLife/talks" element={<Gate perm="orgLife.read"><HeartTalksPage /></Gate>} />
        <Route path="orgLife/study" element={<Gate perm="orgLife.read"><StudyPage /></Gate>} />
        <Route path="orgLife/import" element={<Gate perm="orgLife.import"><LedgerImportPage /></Gate>} />
        <Route path="dues" element={<Gate perm="dues.read"><DuesCollectionPage /></Gate>} />
        <Route path="dues/bases" element={<Gate perm="dues.read"><DuesBasesPage /></Gate>} />
        <Route path="dues/hand-in" element={<Gate perm="dues.read"><DuesHandInPage /></Gate>} />
        <Route path="dues/disclosure" element={<Gate perm="dues.read"><DuesDisclosurePage /></Gate>} />
        <Route path="dues/mine" element={<Gate perm="self.read"><MyDuesPage /></Gate>} />
        <Route path="reports" element={<Gate perm="reports.read"><ReportsListPage /></Gate>} />
        <Route path="reports/templates" element={<Gate perm="reports.read"><TemplatesPage /></Gate>} />
        <Route path="reports/templates/:key" element={<Gate perm="reports.read"><TemplateEditPage /></Gate>} />
        <Route path="reports/review" element={<Gate perm="reports.review"><ReviewPage /></Gate>} />
        <Route path="reports/rectifications" element={<Gate perm="reports.read"><RectificationsPage /></Gate>} />
        <Route path="reports/:id" element={<Gate perm="reports.read"><ReportEditorPage /></Gate>} />
        <Route path="assessment" element={<Gate perm="assessment.read"><AssessmentListPage /></Gate>} />
        <Route path="assessment/weak-orgs" element={<Gate perm="assessment.read"><WeakOrgsPage /></Gate>} />
        <Route path="assessment/:id" element={<Gate perm="assessment.read"><AssessmentSheetPage /></Gate>} />
        <Route path="requests" element={<Gate perm="requests.read"><RequestInboxPage /></Gate>} />
        <Route path="figures" element={<Gate perm="figures.read"><FiguresCataloguePage /></Gate>} />
        <Route path="profile" element={<Gate perm="session"><ProfilePage /></Gate>} />
        <Route path="*" element={<Result status="404" title="页面不存在" subTitle="请从左侧菜单进入需要的功能。" />} />
      </Route>
    </Routes>
  );
}
