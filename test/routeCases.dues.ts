import type { RouteCase } from './routeCases.js';

/** Authorization-matrix cases for the dues routes. */
export const DUES_ROUTE_CASES: Record<string, RouteCase> = {};
