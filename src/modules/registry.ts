import '../platform/calendar.js';
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
