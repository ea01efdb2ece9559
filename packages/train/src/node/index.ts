// Node-only helpers (file system, TTY). Kept out of the main entry so browser bundles never see node: imports.
export { fileStorage } from './file-storage';
export { jsonlFileSink } from './jsonl-sink';
export { progressBar, type ProgressBarOptions, type ProgressStream } from './progress-bar';
