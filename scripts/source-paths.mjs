// The ONE mapping from @logitlab/* specifiers to source files, so tests, the typecheck and the web app
// compile the packages from src without a build. It is derived from each package's package.json
// "exports" (its entry and subpaths) onto src/: vitest.config.ts and apps/web/vite.config.ts build their
// aliases from `sourceEntries`, and tsconfig.json's "paths" (tsc cannot run code) is written from it by
// `node scripts/source-paths.mjs --write`; `pnpm lint` (check-graph.mjs) fails when tsconfig.json is stale.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * `{ specifier, file }` for every exported entry of every package (subpaths first, so a prefix-matching
 * resolver cannot swallow them). `browser` picks a package's browser entry (`index.browser.ts`, what its
 * "browser" export condition points bundlers to) where it has one. `file` is repo-relative.
 */
export function sourceEntries({ browser = false, root = ROOT } = {}) {
  const out = [];
  const packagesDir = path.join(root, 'packages');
  for (const name of fs.readdirSync(packagesDir).toSorted()) {
    const manifest = path.join(packagesDir, name, 'package.json');
    if (!fs.existsSync(manifest)) continue;
    const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    const subpaths = Object.keys(pkg.exports ?? { '.': null })
      .filter((k) => k.startsWith('.') && k !== './package.json')
      .map((k) => k.replace(/^\.\/?/, ''));
    for (const sub of subpaths) {
      const stems = sub === '' ? ['index'] : [sub, `${sub}/index`];
      const candidates = stems.flatMap((s) => (browser ? [`${s}.browser.ts`, `${s}.ts`] : [`${s}.ts`]));
      const file = candidates.map((c) => `packages/${name}/src/${c}`).find((f) => fs.existsSync(path.join(root, f)));
      if (file) out.push({ specifier: sub ? `${pkg.name}/${sub}` : pkg.name, file });
    }
  }
  return out.toSorted((a, b) => b.specifier.split('/').length - a.specifier.split('/').length);
}

/** The mapping as vite / vitest aliases: exact-match patterns onto absolute source files. */
export const sourceAliases = ({ browser = false, root = ROOT } = {}) =>
  sourceEntries({ browser, root }).map(({ specifier, file }) => ({
    find: new RegExp(`^${specifier.replaceAll('.', '\\.')}$`),
    replacement: path.join(root, file),
  }));

/** tsconfig.json's "paths" as this mapping writes them. */
export const tsconfigPaths = (root = ROOT) => Object.fromEntries(sourceEntries({ root }).map((e) => [e.specifier, [e.file]]));

/** Whether tsconfig.json's "paths" are the mapping's; a message naming the difference when not. */
export function tsconfigProblem(root = ROOT) {
  const tsconfig = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8'));
  const want = JSON.stringify(tsconfigPaths(root));
  const have = JSON.stringify(tsconfig.compilerOptions?.paths ?? {});
  return want === have ? null : `tsconfig.json "paths" are not the packages' exports (run: node scripts/source-paths.mjs --write)`;
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--write')) {
  const file = path.join(ROOT, 'tsconfig.json');
  const tsconfig = JSON.parse(fs.readFileSync(file, 'utf8'));
  tsconfig.compilerOptions.paths = tsconfigPaths();
  fs.writeFileSync(file, `${JSON.stringify(tsconfig, null, 2)}\n`);
}
