import { defineConfig } from 'tsup';
import { libraryConfig } from '../../scripts/tsup-library';

// node platform: the loader uses node:module's createRequire; shims give the CJS build import.meta.url
export default defineConfig(libraryConfig({ platform: 'node', shims: true }));
