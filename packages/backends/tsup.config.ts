import { defineConfig } from 'tsup';
import { libraryConfig } from '../../scripts/tsup-library';
import { completeTfjsCore } from './build/complete-tfjs-core';

const shared = {
  // tfjs-core's gradient configs and chained ops are compiled into our dist against its public entry (see the plugin).
  noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
  esbuildPlugins: [completeTfjsCore()],
  external: [/^node:/],
};

// Three configs build at once, so none cleans dist/ (a clean in the first raced the others: a cached dist
// without compat.d.ts broke @logitlab/train's type build); the package's build script empties it first.
export default defineConfig([
  // Node (and the default for other tools): ESM + CJS; import.meta.url is shimmed in the CJS build.
  libraryConfig({ ...shared, entry: ['src/index.ts'], shims: true, clean: false }),
  // Browsers: ESM only, no Node built-ins, literal imports of the browser backends.
  libraryConfig({ ...shared, entry: ['src/index.browser.ts'], format: ['esm'], dts: false, clean: false }),
  // `@logitlab/backends/compat`: tfjs internals for libraries, no side effects, no backend (isomorphic).
  libraryConfig({ entry: { compat: 'src/compat/index.ts' }, clean: false }),
]);
