import { defineConfig } from 'tsup';
import { libraryConfig } from '../../scripts/tsup-library';

// Two entries: the isomorphic main one and `@logitlab/core/node` (fs). The node entry imports the main
// one by its package name (kept external) so both share one copy of the classes (instanceof works).
export default defineConfig(
  libraryConfig({
    entry: { index: 'src/index.ts', node: 'src/node/index.ts' },
    external: ['@logitlab/core', /^node:/],
    removeNodeProtocol: false,
  }),
);
