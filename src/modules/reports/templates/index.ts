import { readFileSync } from 'node:fs';
import { reportTemplate, type ReportTemplate } from '../contract.js';

/**
 * The shipped templates (issue 13), one per kind of report in the seeds; their text is zhibu's own.
 * Each is a JSON file beside this one, parsed with the template schema when the module loads;
 * docs/REPORTS.md maps every quantity of the seed reports to the placeholder that fills it here.
 */
export const SHIPPED_TEMPLATE_FILES = [
  'communityGeneralBranchSecretaryDuty', // seed 000: 社区党总支书记述职
  'countySecretaryDuty', //                  seed 001: 县委书记抓基层党建述职
  'districtUrbanPartyBuildingSummary', //    seed 002: 区级城市基层党建工作总结
  'communityBranchSecretaryDuty', //         seed 003: 社区党支部书记述职
  'socialOrgBranchSecretaryDuty', //         seed 004: 社会组织党支部书记述职
] as const;

const load = (key: string): ReportTemplate =>
  reportTemplate.parse(JSON.parse(readFileSync(new URL(`./${key}.json`, import.meta.url), 'utf8')));

export const SHIPPED_TEMPLATES: ReportTemplate[] = SHIPPED_TEMPLATE_FILES.map(load);
