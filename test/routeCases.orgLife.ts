import type { RouteCase } from './routeCases.js';

/** Authorization-matrix cases for the orgLife routes. */
export const ORG_LIFE_ROUTE_CASES: Record<string, RouteCase> = {};
