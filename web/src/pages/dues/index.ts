/**
 * Party dues pages (issue 5). Suggested routes and menu labels (wired by web/src/routes.tsx):
 *   /dues             DuesCollectionPage   党费收缴      dues.read
 *   /dues/bases       DuesBasesPage        党费基数      dues.read
 *   /dues/hand-in     DuesHandInPage       党费上缴      dues.read
 *   /dues/disclosure  DuesDisclosurePage   年度公示      dues.read
 *   /dues/mine        MyDuesPage           我的党费      self.read
 * Pages keep their org, month and year in the query string (?org=&month=YYYY-MM&year=). Every page
 * file also has a default export for React.lazy.
 */
export { DuesCollectionPage } from './DuesCollectionPage';
export { DuesBasesPage } from './DuesBasesPage';
export { DuesHandInPage } from './DuesHandInPage';
export { DuesDisclosurePage } from './DuesDisclosurePage';
export { MyDuesPage } from './MyDuesPage';
export { DUES_PATHS } from './shared';
