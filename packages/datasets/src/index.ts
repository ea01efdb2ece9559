// Node (and default) entry point. Bundlers targeting browsers resolve index.browser.ts instead
// (package.json "browser" export condition), which has no Node-only code at all.
export * from './common';
export { loadMnist } from './load/platform-auto';
export { defaultDataDir } from './load/node-store';
