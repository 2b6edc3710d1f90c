/** Org structure finding rules (DOMAIN.md §3.1–§3.2): registered once domain/structure.ts lands. */
export {};
