import { defineConfig } from 'tsup';
import { libraryConfig } from '../../scripts/tsup-library';

// Two entries: the importer and `@logitlab/onnx/explain` (LRP registrations, the only part that needs
// @logitlab/explain). The explain entry imports the main one by its package name (kept external) so
// both share one copy of the layer classes the registrations key on.
export default defineConfig(
  libraryConfig({
    entry: { index: 'src/index.ts', explain: 'src/explain/index.ts' },
    external: ['@logitlab/onnx'],
  }),
);
