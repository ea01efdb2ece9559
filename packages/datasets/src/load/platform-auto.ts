import { browserStore } from './browser-store';
import { loadMnistWith } from './load-mnist';
import type { LoadMnistOptions, MnistSet, Platform } from './load-mnist';
import { isNode } from './node-store';

const auto: Platform = {
  async defaultStore(variant, root) {
    if (!isNode()) return browserStore(variant, root);
    const { defaultDataDir, nodeStore } = await import('./node-store');
    return nodeStore(root ?? (await defaultDataDir(variant)));
  },
};

/**
 * Loads an MNIST-family split as an ImageSet (pixels scaled to [0, 1] in a Float32Array
 * [count, 28, 28], labels in an Int32Array) plus `variant` and `split`. Looks in `root` (or the
 * per-user cache) first; with `download: true` fetches missing files from the mirrors, verifying
 * SHA-256, retrying with backoff, and writing atomically. Without files and without `download`, throws
 * DataNotFoundError saying where it looked and how to get the data.
 */
export function loadMnist(options: LoadMnistOptions = {}): Promise<MnistSet> {
  return loadMnistWith(auto, options);
}
