// esbuild plugin: compiles tfjs-core's two side-effect modules that its CJS bundle leaves out -- every
// gradient config (register_all_gradients) and the chained ops (x.reshape(), x.sum(): register_all_chained_ops)
// -- into our dist WITHOUT a second copy of tfjs-core.
//
// Why: tfjs-core's CJS main (what plain `node` loads for import and require, as tfjs-core has no exports
// map) registers neither, and its ESM files use extensionless relative imports, so plain Node cannot load
// them. Bundling them as-is would drag in a private copy of tfjs-core's internals. Instead, every import
// these files make of tfjs-core is rewritten to the PUBLIC '@tensorflow/tfjs-core' entry (kept external),
// so they register into the user's one engine (gradient registry and Tensor class are global). Helpers
// tfjs-core does not export at top level come from its public namespaces (util, backend_util, image, ...)
// or a tiny virtual module; only the handful of private backprop ops (maxPoolGrad, conv2DBackpropFilter,
// ...) are compiled in, and their imports are rewritten the same way.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'esbuild';

const require = createRequire(import.meta.url);
const CORE = '@tensorflow/tfjs-core';
// The two side-effect modules of tfjs-core that its CJS bundle leaves out (tfjs's union package imports both).
const ENTRIES = /^@tensorflow\/tfjs-core\/dist\/(register_all_gradients|public\/chained_ops\/register_all_chained_ops)(\.js)?$/;
const INTERNALS = 'logitlab:tfjs-core-internals';

// Internal module (path inside tfjs-core/dist, without extension) -> public namespace that exports
// the same functions.
const NAMESPACES: Record<string, string> = {
  util: 'util',
  'ops/broadcast_util': 'broadcast_util',
  'ops/axis_util': 'backend_util',
  'ops/conv_util': 'backend_util',
  'ops/selu_util': 'backend_util',
  'ops/slice_util': 'slice_util',
  'ops/image/resize_bilinear': 'image',
  'ops/image/resize_nearest_neighbor': 'image',
};

// Files compiled into our dist as they are (their imports are rewritten).
const BUNDLED = [/^gradients\//, /^register_all_gradients$/, /^public\/chained_ops\//];

// Non-exported values some gradient files need, expressed with public API.
const INTERNALS_SOURCE = `
import { engine, Tensor, tensor } from '${CORE}';
// Chained ops (x.reshape(...)) are installed on the one global Tensor class, which is the public one.
export function getGlobalTensorClass() { return Tensor; }
// The engine is a global singleton; tfjs-core is imported before this module runs, so it exists.
export const ENGINE = engine();
// Gradient code only hands tensors to its backprop ops; plain values are converted like tfjs-core does.
export function convertToTensor(x, argName, functionName) {
  if (x instanceof Tensor) return x;
  if (x == null) throw new Error('Argument ' + argName + ' passed to ' + functionName + ' must be a Tensor');
  return tensor(x);
}
`;
const INTERNAL_NAMES = new Set(['ENGINE', 'convertToTensor', 'getGlobalTensorClass']);

export function completeTfjsCore(): Plugin {
  const coreMain = require.resolve(CORE);
  const distDir = path.dirname(coreMain);
  const publicNames = new Set(Object.keys(require(CORE) as object));

  const moduleKey = (importer: string, spec: string) =>
    path
      .relative(distDir, path.resolve(path.dirname(importer), spec))
      .replace(/\\/g, '/')
      .replace(/\.js$/, '');

  let counter = 0;
  function rewrite(file: string, source: string): string {
    return source.replace(
      /import\s+(\*\s+as\s+(\w+)|\{([^}]*)\})\s+from\s+'(\.[^']+)';/g,
      (whole, _c, nsAlias: string | undefined, names: string | undefined, spec: string) => {
        const key = moduleKey(file, spec);
        if (BUNDLED.some((re) => re.test(key))) return whole; // bundled as-is
        const ns = NAMESPACES[key];
        if (nsAlias) {
          if (!ns) throw new Error(`complete-tfjs-core: no public namespace for '${key}' (imported by ${file})`);
          return `import { ${ns} as ${nsAlias} } from '${CORE}';`;
        }
        const specifiers = (names ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        const fromCore: string[] = [];
        const fromInternals: string[] = [];
        const fromNamespace: string[] = [];
        for (const specifier of specifiers) {
          const name = specifier.split(/\s+as\s+/)[0]!;
          if (publicNames.has(name)) fromCore.push(specifier);
          else if (ns) fromNamespace.push(specifier.replace(/\s+as\s+/, ': '));
          else if (INTERNAL_NAMES.has(name)) fromInternals.push(specifier);
          // A private op (e.g. ops/max_pool_grad): bundle that file too; its own imports get rewritten.
          else return whole;
        }
        const out: string[] = [];
        if (fromCore.length) out.push(`import { ${fromCore.join(', ')} } from '${CORE}';`);
        if (fromInternals.length) out.push(`import { ${fromInternals.join(', ')} } from '${INTERNALS}';`);
        if (fromNamespace.length) {
          const local = `__ns_${ns}_${counter++}`;
          out.push(`import { ${ns} as ${local} } from '${CORE}';`, `const { ${fromNamespace.join(', ')} } = ${local};`);
        }
        return out.join('\n');
      },
    );
  }

  return {
    name: 'complete-tfjs-core',
    setup(build) {
      build.onResolve({ filter: ENTRIES }, (args) => ({
        path: path.join(distDir, `${args.path.slice(`${CORE}/dist/`.length).replace(/\.js$/, '')}.js`),
      }));
      build.onResolve({ filter: new RegExp(`^${INTERNALS}$`) }, () => ({ path: INTERNALS, namespace: 'tfjs-internals' }));
      build.onLoad({ filter: /.*/, namespace: 'tfjs-internals' }, () => ({
        contents: INTERNALS_SOURCE,
        loader: 'js',
        resolveDir: distDir,
      }));
      build.onLoad({ filter: /[\\/]@tensorflow[\\/]tfjs-core[\\/]dist[\\/].*\.js$/ }, (args) => ({
        // the inline source maps of tfjs-core's files would only bloat our dist
        contents: rewrite(args.path, readFileSync(args.path, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, '')),
        loader: 'js',
      }));
    },
  };
}
