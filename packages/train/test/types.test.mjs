// Plain-node test of the BUILT declaration files: a TypeScript user WITHOUT @types/node can compile
// against @logitlab/train and @logitlab/train/node (no NodeJS.* or Buffer in our public types).
// Run with: node --test packages/train/test/types.test.mjs (after `pnpm --filter @logitlab/train build`)
import path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ts from 'typescript';

const pkgDir = path.resolve(import.meta.dirname, '..');

for (const entry of ['index.d.ts', 'node.d.ts', 'index.d.cts', 'node.d.cts']) {
  test(`dist/${entry} needs no @types/node`, () => {
    const file = path.join(pkgDir, 'dist', entry);
    const options = {
      noEmit: true,
      strict: true,
      types: [],
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
    };
    const program = ts.createProgram([file], options);
    // only errors in our own declarations count (dependencies' d.ts are theirs)
    const ours = ts.getPreEmitDiagnostics(program).filter((d) => d.file && d.file.fileName.startsWith(path.join(pkgDir, 'dist')));
    assert.deepEqual(
      ours.map((d) => `${path.basename(d.file.fileName)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`),
      [],
    );
  });
}
