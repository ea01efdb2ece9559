// README code blocks are tests: every ```js (or ```mjs) block of a package README is a complete
// plain-Node ES module that pack-test.mjs runs against the packed tarballs. A block that is not a
// whole program says so in its info string: ```js fragment (a piece of a larger program) or
// ```js browser (needs a page), ```js network (needs files or the network). ```ts blocks show types and are not run. New packages are picked
// up by their folder: packages/*/README.md.
import fs from 'node:fs';
import path from 'node:path';

const RUNNABLE = new Set(['js', 'mjs', 'javascript']);
const SKIP_FLAGS = new Set(['fragment', 'browser', 'network']);

/** The runnable example blocks of one README: { line (1-based, of the opening fence), code }. */
export function readmeExamples(markdown) {
  const out = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^`]*)$/.exec(lines[i]);
    if (!open) continue;
    const [, , fence, info] = open;
    const end = lines.findIndex((l, j) => j > i && l.trim().startsWith(fence) && l.trim().replace(/[`~]/g, '') === '');
    const close = end === -1 ? lines.length : end;
    const [lang = '', ...flags] = info.trim().split(/\s+/);
    if (RUNNABLE.has(lang.toLowerCase()) && !flags.some((f) => SKIP_FLAGS.has(f)))
      out.push({ line: i + 1, code: lines.slice(i + 1, close).join('\n') });
    i = close;
  }
  return out;
}

/** Every package README's runnable examples: { pkg, file, line, code }. */
export function packageExamples(root) {
  const base = path.join(root, 'packages');
  return fs
    .readdirSync(base)
    .filter((d) => fs.existsSync(path.join(base, d, 'package.json')) && fs.existsSync(path.join(base, d, 'README.md')))
    .flatMap((pkg) => {
      const file = path.join(base, pkg, 'README.md');
      return readmeExamples(fs.readFileSync(file, 'utf8')).map((e) => ({ pkg, file: path.relative(root, file), ...e }));
    });
}
