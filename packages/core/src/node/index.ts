// Node-only helpers (file system). Kept out of the main entry so browser bundles never see node: imports.
export { writeFileAtomic, writeFileAtomicSync, type AtomicWriteOptions } from './write-file-atomic';
export { removeStaleTemps, type RemoveStaleTempsOptions } from './temp-files';
