// Browser entry point: same API as index.ts, loadMnist backed by fetch + the Cache API only.
export * from './common';
export { loadMnist } from './load/platform-browser';
