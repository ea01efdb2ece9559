import { defineConfig } from 'tsup';
import { libraryConfig } from '../../scripts/tsup-library';

// Two builds of the same API: index (Node and default) and index.browser (picked by bundlers through
// the "browser" export condition), which contains no Node-only code.
export default defineConfig(libraryConfig({ entry: { index: 'src/index.ts', 'index.browser': 'src/index.browser.ts' } }));
