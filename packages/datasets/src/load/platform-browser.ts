import { browserStore } from './browser-store';
import { loadMnistWith } from './load-mnist';
import type { LoadMnistOptions, MnistSet, Platform } from './load-mnist';

const browser: Platform = {
  defaultStore: async (variant, root) => browserStore(variant, root),
};

/**
 * Browser build of loadMnist: files come from the Cache API, from `root` (a URL prefix) or, with
 * `download: true`, from the mirrors (which must allow CORS). Same result as the Node version.
 */
export function loadMnist(options: LoadMnistOptions = {}): Promise<MnistSet> {
  return loadMnistWith(browser, options);
}
