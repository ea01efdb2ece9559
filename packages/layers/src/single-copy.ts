// Node can load a dual-format package twice in one process: `import` gets dist/index.js and
// `require` (from a CJS dependency, or a user mixing both) gets dist/index.cjs. The two copies share
// nothing: a Module from one is not `instanceof Module` of the other and manualSeed in one does not
// seed the other, which shows up as silently different weights. The global symbol registry is
// shared by both copies, so each records its format there and the second format to arrive warns once.

// oxlint-disable-next-line no-underscore-dangle -- the variable Node's CommonJS wrapper defines
declare const __filename: string | undefined;

const KEY = Symbol.for('@logitlab/layers/loaded-formats');
// oxlint-disable-next-line no-underscore-dangle -- defined only in the CommonJS build
const FORMAT = typeof __filename === 'string' ? 'CommonJS (dist/index.cjs)' : 'ES module (dist/index.js)';

interface Registry {
  formats: Set<string>;
  warned: boolean;
}

let checked = false;

/** Records this copy's format; warns once per process when both formats of @logitlab/layers are in use. */
export function checkSingleCopy(warn: (message: string) => void = (m) => console.warn(m)): void {
  if (checked) return;
  checked = true;
  const g = globalThis as unknown as Record<symbol, Registry | undefined>;
  const registry = (g[KEY] ??= { formats: new Set(), warned: false });
  registry.formats.add(FORMAT);
  if (registry.formats.size > 1 && !registry.warned) {
    registry.warned = true;
    warn(
      `@logitlab/layers is loaded twice in this process, as ${[...registry.formats].join(' and as ')}: ` +
        'modules from one copy are not instanceof Module of the other and manualSeed() does not seed both. ' +
        'Load it (and the @logitlab packages above it) one way only: import everywhere, or require everywhere.',
    );
  }
}
