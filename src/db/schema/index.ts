export * from './orgs.js';
export * from './people.js';
export * from './auth.js';
export * from './platform.js';
export * from './attachments.js';
export * from './orgLife.js';
export * from './dues.js';
export * from './reports.js';
