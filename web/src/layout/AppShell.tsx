import { useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { Button, Drawer, Dropdown, Layout, Menu, type MenuProps } from 'antd';
import {
  ApartmentOutlined, AuditOutlined, BarChartOutlined, DashboardOutlined, LogoutOutlined, MenuOutlined,
  SettingOutlined, TeamOutlined, UserOutlined, UserAddOutlined, DownOutlined, SafetyCertificateOutlined,
  EyeOutlined, CalendarOutlined,
  HeatMapOutlined, CheckSquareOutlined, CommentOutlined, ReadOutlined, ScheduleOutlined, MoneyCollectOutlined,
  CalculatorOutlined, SendOutlined, FileTextOutlined, WalletOutlined, SolutionOutlined, ProfileOutlined,
  FileSearchOutlined, ToolOutlined, DatabaseOutlined, TrophyOutlined, AlertOutlined,
} from '@ant-design/icons';
import { useAuth, useMe } from '../auth/AuthContext';
import { roleLabel } from '../lib/labels';
import { useIsMobile } from '../lib/hooks';

interface NavItem {
  key: string;
  path: string;
  label: string;
  icon: React.ReactNode;
  /** Server permission needed; absent = every logged-in user. */
  perm?: string;
  testId: string;
  /** The menu group (a collapsible submenu); absent = a top-level item. */
  group?: string;
}

/** Menu groups in order, with their icons: the menu stays short however many modules a user may use. */
const GROUPS: { key: string; label: string; icon: React.ReactNode }[] = [
  { key: 'org', label: '组织与党员', icon: <ApartmentOutlined /> },
  { key: 'orgLife', label: '组织生活', icon: <ScheduleOutlined /> },
  { key: 'dues', label: '党费', icon: <MoneyCollectOutlined /> },
  { key: 'reports', label: '述职与评议', icon: <SolutionOutlined /> },
  { key: 'community', label: '网格与群众服务', icon: <CommentOutlined /> },
  { key: 'data', label: '数据', icon: <BarChartOutlined /> },
  { key: 'system', label: '系统管理', icon: <SettingOutlined /> },
];

const NAV: NavItem[] = [
  { key: 'workbench', path: '/', label: '工作台', icon: <DashboardOutlined />, testId: 'menu-workbench' },
  { key: 'orgs', path: '/orgs', label: '组织架构', icon: <ApartmentOutlined />, perm: 'orgs.read', testId: 'menu-orgs', group: 'org' },
  { key: 'members', path: '/members', label: '党员管理', icon: <TeamOutlined />, perm: 'members.read', testId: 'menu-members', group: 'org' },
  { key: 'development', path: '/development', label: '发展党员', icon: <UserAddOutlined />, perm: 'development.read', testId: 'menu-development', group: 'org' },
  { key: 'orgLife', path: '/orgLife', label: '组织生活', icon: <ScheduleOutlined />, perm: 'orgLife.read', testId: 'menu-orgLife', group: 'orgLife' },
  { key: 'orgLifeMatrix', path: '/orgLife/matrix', label: '组织生活统计', icon: <HeatMapOutlined />, perm: 'orgLife.read', testId: 'menu-orgLife-matrix', group: 'orgLife' },
  { key: 'orgLifeReviews', path: '/orgLife/reviews', label: '民主评议', icon: <CheckSquareOutlined />, perm: 'orgLife.read', testId: 'menu-orgLife-reviews', group: 'orgLife' },
  { key: 'orgLifeTalks', path: '/orgLife/talks', label: '谈心谈话', icon: <CommentOutlined />, perm: 'orgLife.read', testId: 'menu-orgLife-talks', group: 'orgLife' },
  { key: 'orgLifeStudy', path: '/orgLife/study', label: '学习学时', icon: <ReadOutlined />, perm: 'orgLife.read', testId: 'menu-orgLife-study', group: 'orgLife' },
  { key: 'dues', path: '/dues', label: '党费收缴', icon: <MoneyCollectOutlined />, perm: 'dues.read', testId: 'menu-dues', group: 'dues' },
  { key: 'duesBases', path: '/dues/bases', label: '党费基数', icon: <CalculatorOutlined />, perm: 'dues.read', testId: 'menu-dues-bases', group: 'dues' },
  { key: 'duesHandIn', path: '/dues/hand-in', label: '党费上缴', icon: <SendOutlined />, perm: 'dues.read', testId: 'menu-dues-handin', group: 'dues' },
  { key: 'duesDisclosure', path: '/dues/disclosure', label: '党费年度公示', icon: <FileTextOutlined />, perm: 'dues.read', testId: 'menu-dues-disclosure', group: 'dues' },
  { key: 'myDues', path: '/dues/mine', label: '我的党费', icon: <WalletOutlined />, perm: 'self.read', testId: 'menu-dues-mine', group: 'dues' },
  { key: 'reports', path: '/reports', label: '述职报告', icon: <SolutionOutlined />, perm: 'reports.read', testId: 'menu-reports', group: 'reports' },
  { key: 'reportReview', path: '/reports/review', label: '述职评议', icon: <FileSearchOutlined />, perm: 'reports.review', testId: 'menu-reports-review', group: 'reports' },
  { key: 'rectifications', path: '/reports/rectifications', label: '整改事项', icon: <ToolOutlined />, perm: 'reports.read', testId: 'menu-rectifications', group: 'reports' },
  { key: 'reportTemplates', path: '/reports/templates', label: '报告模板', icon: <ProfileOutlined />, perm: 'reports.templates', testId: 'menu-report-templates', group: 'reports' },
  { key: 'assessment', path: '/assessment', label: '考核评分', icon: <TrophyOutlined />, perm: 'assessment.read', testId: 'menu-assessment', group: 'reports' },
  { key: 'weakOrgs', path: '/assessment/weak-orgs', label: '软弱涣散整顿', icon: <AlertOutlined />, perm: 'assessment.read', testId: 'menu-weak-orgs', group: 'reports' },
  { key: 'requests', path: '/requests', label: '诉求受理台', icon: <CommentOutlined />, perm: 'requests.read', testId: 'menu-requests', group: 'community' },
  { key: 'figures', path: '/figures', label: '数据项目录', icon: <DatabaseOutlined />, perm: 'figures.read', testId: 'menu-figures', group: 'data' },
  { key: 'stats', path: '/stats', label: '数据统计', icon: <BarChartOutlined />, perm: 'figures.read', testId: 'menu-stats', group: 'data' },
  { key: 'audit', path: '/audit', label: '审计日志', icon: <AuditOutlined />, perm: 'audit.read', testId: 'menu-audit', group: 'system' },
  { key: 'settings', path: '/settings', label: '系统设置', icon: <SettingOutlined />, perm: 'settings.write', testId: 'menu-settings', group: 'system' },
  { key: 'users', path: '/users', label: '账号权限', icon: <SafetyCertificateOutlined />, perm: 'grants.write', testId: 'menu-users', group: 'system' },
  { key: 'personalDataHolders', path: '/users/personal-data', label: '谁可以查看个人信息', icon: <EyeOutlined />, perm: 'grants.write', testId: 'menu-personal-data', group: 'system' },
  { key: 'calendar', path: '/calendar', label: '节假日安排', icon: <CalendarOutlined />, testId: 'menu-calendar', group: 'system' },
  { key: 'profile', path: '/profile', label: '我的信息', icon: <UserOutlined />, testId: 'menu-profile' },
];

function selectedKey(pathname: string): string {
  const hit = NAV.filter((n) => n.path !== '/' && pathname.startsWith(n.path)).sort((a, b) => b.path.length - a.path.length)[0];
  return hit?.key ?? 'workbench';
}

export function AppShell() {
  const { can, logout } = useAuth();
  const me = useMe();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const location = useLocation();
  const [drawerOpen, setDrawerOpen] = useState(false);

  const grant = me.grants[0];
  const visible = NAV.filter((n) => !n.perm || can(n.perm));
  const entry = (n: NavItem) => ({ key: n.key, icon: n.icon, label: n.label, 'data-testid': n.testId });
  const grouped: NonNullable<MenuProps['items']> = [];
  const placed = new Set<string>();
  for (const n of visible) {
    if (!n.group) { grouped.push(entry(n)); continue; }
    if (placed.has(n.group)) continue;
    placed.add(n.group);
    const members = visible.filter((m) => m.group === n.group);
    const g = GROUPS.find((x) => x.key === n.group)!;
    // a group with one item the user may use is that item, not a submenu of one
    grouped.push(members.length === 1 ? entry(members[0]) : { key: `group:${g.key}`, icon: g.icon, label: g.label, children: members.map(entry) });
  }
  const current = selectedKey(location.pathname);
  const currentGroup = NAV.find((n) => n.key === current)?.group;
  const items: MenuProps['items'] = [
    ...grouped,
    { type: 'divider' as const },
    { key: 'logout', icon: <LogoutOutlined />, label: '退出登录', 'data-testid': 'menu-logout', danger: false },
  ];
  const onMenu: MenuProps['onClick'] = ({ key }) => {
    setDrawerOpen(false);
    if (key === 'logout') {
      void logout();
      return;
    }
    const target = NAV.find((n) => n.key === key);
    if (target) navigate(target.path);
  };
  const menu = (
    <Menu mode="inline" selectedKeys={[current]} defaultOpenKeys={currentGroup ? [`group:${currentGroup}`] : []} items={items} onClick={onMenu} className="side-menu" />
  );

  const userMenu: MenuProps = {
    items: [
      { key: 'profile', icon: <UserOutlined />, label: '我的信息' },
      { key: 'logout', icon: <LogoutOutlined />, label: '退出登录' },
    ],
    onClick: ({ key }) => (key === 'logout' ? void logout() : navigate('/profile')),
  };

  return (
    <Layout className="shell">
      <Layout.Header className="shell-header">
        {mobile ? (
          <Button
            type="text"
            icon={<MenuOutlined />}
            aria-label="打开菜单"
            data-testid="menu-toggle"
            onClick={() => setDrawerOpen(true)}
            className="menu-toggle"
          />
        ) : null}
        <a className="brand" href="/" onClick={(e) => { e.preventDefault(); navigate('/'); }}>
          <span className="brand-mark" aria-hidden>支</span>
          <span className="brand-text">
            支部<span className="brand-sub">基层党建工作平台</span>
          </span>
        </a>
        <div className="header-spacer" />
        <Dropdown menu={userMenu} placement="bottomRight" trigger={['click']}>
          <button type="button" className="header-user" data-testid="header-user">
            <span className="header-user-name">{me.displayName || me.username}</span>
            {!mobile && grant ? (
              <span className="header-user-org" title={grant.orgName}>
                {grant.orgName} · {roleLabel(grant.role)}
              </span>
            ) : null}
            <DownOutlined className="header-user-caret" />
          </button>
        </Dropdown>
      </Layout.Header>
      <Layout className="shell-body">
        {mobile ? (
          <Drawer
            placement="left"
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            size={264}
            title={
              <div className="drawer-title">
                <div>{me.displayName || me.username}</div>
                {grant ? <div className="drawer-title-org">{grant.orgName}</div> : null}
              </div>
            }
            styles={{ body: { padding: 8 } }}
          >
            {menu}
          </Drawer>
        ) : (
          <Layout.Sider width={208} className="shell-sider">
            {menu}
          </Layout.Sider>
        )}
        <Layout.Content className="shell-content">
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
