// Node-only helpers (file system). Kept out of the main entry so browser bundles never see node: imports.
export { writeFileAtomic, writeFileAtomicSync, removeStaleTemps, type AtomicWriteOptions } from './write-file-atomic';
