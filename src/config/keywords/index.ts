/** Keyword tables of every configuration block keepalived 2.2.7 accepts (see types.ts). */
export * from './types.js';
export * from './global.js';
export * from './vrrp.js';
export * from './check.js';
export { rootKeywords, bfdInstanceKeywords, allKeywordTables } from './root.js';
