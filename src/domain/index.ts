/**
 * The pure domain layer: value types, vocabularies and rule functions. Imports nothing outside
 * src/domain, reads no clock and no database (ARCHITECTURE.md "Layout").
 */
export * from './dates.js';
export * from './dateInput.js';
export * from './idNumber.js';
export * from './mobile.js';
export * from './vocab.js';
export * from './bands.js';
export * from './partyAge.js';
export * from './votes.js';
export * from './ruleSets.js';
export * from './structure.js';
export * from './calendar.js';
export * from './sources.js';
export * from './orgLifeRules.js';
export * from './orgLifeCounting.js';
export * as duesRules from './duesRules.js';
export * as duesMonths from './duesMonths.js';
export * as serviceRules from './serviceRules.js';
