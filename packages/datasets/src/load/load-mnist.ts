import { ChecksumError, DataNotFoundError, DatasetInputError } from '../errors';
import type { ImageSet } from '../image-set';
import { DEFAULT_MAX_IDX_BYTES, parseIdx } from '../idx/idx';
import { decodeMnist } from '../idx/mnist-idx';
import { MNIST_CHECKSUMS, MNIST_FILES, MNIST_IDX_BYTES, MNIST_MIRRORS, MNIST_VARIANTS } from './catalog';
import type { FileChecksum, MnistSplit, MnistVariant } from './catalog';
import { downloadVerified } from './download';
import type { DownloadProgress, FetchLike } from './download';
import type { DataStore } from './store';
import { verifyChecksum } from './verify';

export interface LoadMnistOptions {
  /** Default 'mnist'. */
  variant?: MnistVariant;
  /** Default 'train'. */
  split?: MnistSplit;
  /**
   * Directory holding the files (Node). Default: $LOGITLAB_DATA_DIR/<variant>, else
   * $XDG_CACHE_HOME/logitlab/<variant>, else ~/.cache/logitlab/<variant>. In browsers: a URL prefix the
   * files are served from (downloads are cached with the Cache API).
   */
  root?: string;
  /** Fetch missing (or corrupt) files from the mirrors. Default false: never touches the network. */
  download?: boolean;
  /** URL prefixes tried in order. Default MNIST_MIRRORS[variant]. */
  mirrors?: readonly string[];
  onProgress?: (p: DownloadProgress) => void;
  /** Default globalThis.fetch. */
  fetch?: FetchLike;
  /** Per-request idle timeout in ms. Default 30000. */
  timeoutMs?: number;
  /**
   * Per-request deadline in ms, however steadily bytes arrive; that mirror is then skipped. Default:
   * scaled by the file's size, a minute plus its time at 8 KiB/s (Content-Length, else the file's cap).
   */
  deadlineMs?: number;
  /**
   * Low-speed limit (curl's --speed-limit, bytes/s) over `speedTimeMs`: a mirror averaging less over
   * that long is skipped. Defaults 1024 bytes/s over 30000 ms (a mirror dripping bytes is abandoned
   * within about 30 s, not at the deadline).
   */
  speedLimit?: number;
  speedTimeMs?: number;
  /** Extra tries per mirror for transient failures. Default 2. */
  retries?: number;
  /** First retry delay in ms (doubles). Default 500. */
  backoffMs?: number;
  /** Per-file overrides of MNIST_CHECKSUMS[variant]; null accepts that file unverified. */
  checksums?: Record<string, FileChecksum | null>;
  /** Told about a cached file that failed its checksum and is being replaced. Default console.warn. */
  onWarning?: (message: string) => void;
  /** Use this store instead of the platform default (root is then ignored). */
  store?: DataStore;
}

export type MnistSet = ImageSet & { variant: MnistVariant; split: MnistSplit };

export interface Platform {
  defaultStore(variant: MnistVariant, root: string | undefined): Promise<DataStore>;
}

const NAMES: Record<MnistVariant, string> = { mnist: 'MNIST', 'fashion-mnist': 'Fashion-MNIST', kmnist: 'KMNIST' };

/** Shared by the Node and browser entry points; `platform` supplies the default store. */
export async function loadMnistWith(platform: Platform, options: LoadMnistOptions = {}): Promise<MnistSet> {
  const {
    variant = 'mnist',
    split = 'train',
    download = false,
    timeoutMs = 30_000,
    deadlineMs,
    speedLimit = 1024,
    speedTimeMs = 30_000,
    retries = 2,
    backoffMs = 500,
  } = options;
  for (const [name, v] of Object.entries({ timeoutMs, deadlineMs, speedTimeMs }))
    if (v !== undefined && !(Number.isFinite(v) && v > 0))
      throw new DatasetInputError(`loadMnist: ${name} must be a positive number of ms, got ${v}`);
  if (!(Number.isFinite(speedLimit) && speedLimit >= 0))
    throw new DatasetInputError(`loadMnist: speedLimit must be a non-negative number of bytes/s, got ${speedLimit}`);
  if (!MNIST_VARIANTS.includes(variant))
    throw new DatasetInputError(`loadMnist: variant must be one of ${MNIST_VARIANTS.join(', ')}, got ${String(variant)}`);
  if (split !== 'train' && split !== 'test')
    throw new DatasetInputError(`loadMnist: split must be 'train' or 'test', got ${String(split)}`);
  const store = options.store ?? (await platform.defaultStore(variant, options.root));
  const checksums = { ...MNIST_CHECKSUMS[variant], ...options.checksums };
  const warn = options.onWarning ?? ((m: string) => console.warn(m));
  const files = MNIST_FILES[split];

  const missing: string[] = [];
  const found = new Map<string, Uint8Array>();
  for (const file of [files.images, files.labels]) {
    const spec = checksums[file];
    // a decompressed copy (name without .gz) is accepted too
    for (const candidate of [file, file.replace(/\.gz$/, '')]) {
      const bytes = await store.read(candidate, fileCap(file));
      if (!bytes) continue;
      try {
        await verifyChecksum(bytes, spec, store.describe(candidate), MNIST_IDX_BYTES[file]);
        found.set(file, bytes);
      } catch (e) {
        if (!(e instanceof ChecksumError) || !download) throw e;
        warn(`${e.message}; downloading a fresh copy`);
      }
      break;
    }
    if (!found.has(file)) missing.push(file);
  }

  if (missing.length > 0 && !download) {
    const looked = missing.map((f) => store.describe(f));
    throw new DataNotFoundError(
      `${NAMES[variant]} ${split} split not found: looked for ${looked.join(' and ')} (also without .gz). ` +
        `To fetch it (checksum-verified), call loadMnist({ variant: '${variant}', split: '${split}', download: true }) ` +
        `or run the CLI with --download (e.g. \`logitlab <experiment> --download\`); or copy the files into ${store.location} ` +
        `(choose another directory with root or LOGITLAB_DATA_DIR). syntheticDigits({ count, seed }) needs no files at all.`,
      looked,
    );
  }

  // Bound: the downloader calls it as a method of its options, and browsers reject a fetch whose
  // `this` is not the global object ("Illegal invocation").
  const fetchImpl = options.fetch ?? (globalThis.fetch ? (globalThis.fetch.bind(globalThis) as FetchLike) : undefined);
  for (const file of missing) {
    if (!fetchImpl) throw new DatasetInputError('loadMnist: no fetch available; pass options.fetch');
    const bytes = await downloadVerified(file, {
      mirrors: options.mirrors ?? MNIST_MIRRORS[variant],
      fetch: fetchImpl,
      timeoutMs,
      deadlineMs,
      speedLimit,
      speedTimeMs,
      maxBytes: fileCap(file),
      requireHttps: !hasDigest(checksums[file]),
      retries,
      backoffMs,
      onProgress: options.onProgress,
      verify: async (b, url) => {
        const spec = checksums[file];
        await verifyChecksum(b, spec, url, MNIST_IDX_BYTES[file]);
        // without a known checksum, a download must at least be well-formed gzip'd IDX before it is stored
        if (!spec) parseIdx(b, { gzip: true, name: url, maxBytes: MNIST_IDX_BYTES[file] });
      },
    });
    await store.write(file, bytes);
    found.set(file, bytes);
  }

  const set = decodeMnist(found.get(files.images) as Uint8Array, found.get(files.labels) as Uint8Array, {
    imagesName: store.describe(files.images),
    labelsName: store.describe(files.labels),
    maxBytes: { images: MNIST_IDX_BYTES[files.images], labels: MNIST_IDX_BYTES[files.labels] },
  });
  return { ...set, variant, split };
}

function hasDigest(spec: FileChecksum | null | undefined): boolean {
  return !!spec && ((spec.sha256?.length ?? 0) > 0 || (spec.idxSha256?.length ?? 0) > 0);
}

/** Most bytes a file of this name may have on disk or on the wire: its IDX size plus gzip's framing (stored blocks: 5 bytes per 64 KiB). */
function fileCap(file: string): number {
  return Math.ceil((MNIST_IDX_BYTES[file] ?? DEFAULT_MAX_IDX_BYTES) * 1.001) + 1024;
}
