// Real digits for the example buttons without a network (issue 25, item 7), never committed: when the
// repo's shared copy of MNIST exists at build time (../shared/data/mnist beside the repo, where
// make-weights.mjs and the e2e suite look), `vite build` writes a few hundred of its test digits into
// the build output as two IDX files with the licence beside them, and `vite dev` serves the same.
// Without the copy it ships nothing and the pages label their examples synthetic.
import fs from 'node:fs';
import path from 'node:path';

/** Where the files go in the build output, and what the page fetches. */
export const SUBSET_DIR = 'mnist';
export const SUBSET_FILES = { images: 't10k-subset-images-idx3-ubyte', labels: 't10k-subset-labels-idx1-ubyte' };
const PER_DIGIT = 30;

/**
 * Indices of the first `perDigit` examples of each digit 0-9, in the set's order (so the buttons cycle
 * through a fixed, balanced list).
 * @param {ArrayLike<number>} labels @param {number} perDigit @returns {number[]}
 */
export function balancedIndices(labels, perDigit) {
  if (!Number.isInteger(perDigit) || perDigit < 1) throw new RangeError(`perDigit must be a positive integer, got ${perDigit}`);
  const taken = Array.from({ length: 10 }, () => 0);
  const out = [];
  for (let i = 0; i < labels.length; i++) {
    const d = labels[i];
    if (d === undefined || !(d >= 0 && d <= 9) || taken[d] >= perDigit) continue;
    taken[d]++;
    out.push(i);
  }
  const short = taken.flatMap((n, d) => (n < perDigit ? [`${d} (${n})`] : []));
  if (short.length) throw new RangeError(`fewer than ${perDigit} examples of digit ${short.join(', ')}`);
  return out;
}

/** @param {number} count */
const licence = (count) => `These ${count} digits (${PER_DIGIT} of each class) are taken unchanged from the test set of
the MNIST database of handwritten digits, by Yann LeCun, Corinna Cortes and Christopher J.C. Burges
(http://yann.lecun.com/exdb/mnist/), as redistributed under the Creative Commons Attribution-Share Alike 3.0
licence (CC BY-SA 3.0, https://creativecommons.org/licenses/by-sa/3.0/). They are the first of each class
among the 1,000 test digits that the page's shipped weights held out (make-weights.mjs: split 0.9, seed 7),
so no example was seen in training. Written at build time by apps/web/scripts/mnist-subset.mjs from a
local copy; not part of the logitlab repository.
`;

/**
 * The subset's files, or the reason there are none.
 * @param {string} dataDir
 * @returns {Promise<{ files: Record<string, Uint8Array | string> } | { reason: string }>}
 */
export async function makeSubset(dataDir) {
  if (!fs.existsSync(path.join(dataDir, 't10k-images-idx3-ubyte.gz'))) return { reason: `no MNIST test split in ${dataDir}` };
  let datasets;
  try {
    // the BUILT package (turbo builds the web app's dependencies first); vite's config is not aliased to src
    datasets = await import('@logitlab/datasets');
  } catch (e) {
    return { reason: `@logitlab/datasets is not built (${String(/** @type {Error} */ (e).message).split('\n')[0]})` };
  }
  const set = await datasets.loadMnist({ variant: 'mnist', split: 'test', root: dataDir });
  // the digits make-weights.mjs held out from the shipped models' training
  const [, heldOut] = datasets.splitImageSet(set, 0.9, 7);
  const subset = datasets.subsetImageSet(heldOut, balancedIndices(heldOut.labels, PER_DIGIT));
  const { images, labels } = datasets.encodeMnist(subset);
  return {
    files: {
      [`${SUBSET_DIR}/${SUBSET_FILES.images}`]: images,
      [`${SUBSET_DIR}/${SUBSET_FILES.labels}`]: labels,
      [`${SUBSET_DIR}/LICENSE.txt`]: licence(subset.count),
    },
  };
}

/**
 * The Vite plugin: emits the subset into the build, serves it in dev.
 * @param {{ dataDir: string }} options
 */
export function mnistSubset({ dataDir }) {
  /** @type {ReturnType<typeof makeSubset> | null} */
  let made = null;
  const subset = () => (made ??= makeSubset(dataDir));
  return {
    name: 'logitlab-mnist-subset',
    // The page learns whether digits were shipped, and their names, from this constant: it never asks
    // for a file that is not there (a 404 is a console error on every page load).
    async config() {
      const r = await subset();
      const shipped = 'files' in r ? { dir: SUBSET_DIR, ...SUBSET_FILES } : null;
      return { define: { LOGITLAB_MNIST_SUBSET: JSON.stringify(shipped) } };
    },
    /** @this {{ emitFile(f: object): string, warn(m: string): void }} */
    async generateBundle() {
      const r = await subset();
      if ('reason' in r) {
        this.warn(`no MNIST examples shipped (${r.reason}): the example buttons will use synthetic digits`);
        return;
      }
      for (const [fileName, source] of Object.entries(r.files)) this.emitFile({ type: 'asset', fileName, source });
    },
    /** @param {{ middlewares: { use(f: (req: { url?: string }, res: import('node:http').ServerResponse, next: () => void) => void): void } }} server */
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const name = (req.url ?? '').split('?')[0]?.replace(/^\//, '') ?? '';
        if (!name.startsWith(`${SUBSET_DIR}/`)) return next();
        void subset().then((r) => {
          const body = 'files' in r ? r.files[name] : undefined;
          if (body === undefined) return next();
          res.setHeader('Content-Type', typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/octet-stream');
          res.end(body);
        }, next);
      });
    },
  };
}
