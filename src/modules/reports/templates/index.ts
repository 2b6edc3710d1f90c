import type { ReportTemplate } from '../contract.js';

/**
 * The shipped templates (owner: rep-content, who replaces this file with the five templates and
 * their JSON files). Until then the list is empty.
 */
export const SHIPPED_TEMPLATES: ReportTemplate[] = [];
