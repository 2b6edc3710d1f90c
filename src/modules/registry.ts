import '../platform/calendar.js';
import { checkFigureModules } from '../platform/figures.js';
/** Side-effect imports: each module registers its figures and finding rules once. */
import './members/figures.js';
import './members/rules.js';
import './orgs/figures.js';
import './orgs/rules.js';
import './orgLife/figures.js';
import './orgLife/rules.js';
import './dues/figures.js';
import './dues/rules.js';
import './reports/figures.js';
import './reports/rules.js';
import './assessment/figures.js';
import './assessment/rules.js';
import './development/figures.js';
import './development/rules.js';
import './grid/figures.js';
import './requests/figures.js';
import './requests/rules.js';
import './requests/escalate.js';
import './service/figures.js';
import './service/rules.js';

/** The modules of this build; a figure id starts with one of these names (`<module>.<subject>.<measure>`). */
export const MODULE_NAMES = ['orgs', 'members', 'orgLife', 'dues', 'reports', 'assessment', 'development', 'grid', 'requests', 'service'] as const;
checkFigureModules(MODULE_NAMES);
