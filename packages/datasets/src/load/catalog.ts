export type MnistVariant = 'mnist' | 'fashion-mnist' | 'kmnist';
export type MnistSplit = 'train' | 'test';

export const MNIST_VARIANTS: readonly MnistVariant[] = ['mnist', 'fashion-mnist', 'kmnist'];

/** The standard file names, shared by all three variants. */
export const MNIST_FILES: Record<MnistSplit, { images: string; labels: string }> = {
  train: { images: 'train-images-idx3-ubyte.gz', labels: 'train-labels-idx1-ubyte.gz' },
  test: { images: 't10k-images-idx3-ubyte.gz', labels: 't10k-labels-idx1-ubyte.gz' },
};

/**
 * Decompressed (IDX) size of each file, the same for all three variants (60,000 / 10,000 images of
 * 28x28 uint8 plus the header). Inflation and downloads are capped at it, so a decompression bomb or an
 * endless body under one of these names costs at most this much memory.
 */
export const MNIST_IDX_BYTES: Record<string, number> = {
  'train-images-idx3-ubyte.gz': 16 + 60_000 * 28 * 28,
  'train-labels-idx1-ubyte.gz': 8 + 60_000,
  't10k-images-idx3-ubyte.gz': 16 + 10_000 * 28 * 28,
  't10k-labels-idx1-ubyte.gz': 8 + 10_000,
};

/**
 * Accepted SHA-256 digests of one file. A file passes when the digest of its bytes is in `sha256`
 * (the .gz as distributed) or the digest of its decompressed IDX payload is in `idxSha256`; the latter
 * accepts a copy that was re-compressed (different gzip header, same data).
 */
export interface FileChecksum {
  sha256?: readonly string[];
  idxSha256?: readonly string[];
}

/**
 * Known digests. MNIST: .gz digests as published by TensorFlow Datasets and Keras for the
 * cvdf/ossci mirrors; IDX digests published by several projects and equal to those of the test files in
 * this repo's shared data (computed here). Fashion-MNIST (whose official md5s these match in the
 * sources) and KMNIST: .gz digests identical across several independent projects, but NOT re-verified
 * by downloading here (no network). Override per file with loadMnist({ checksums }).
 */
export const MNIST_CHECKSUMS: Record<MnistVariant, Record<string, FileChecksum>> = {
  mnist: {
    'train-images-idx3-ubyte.gz': {
      sha256: ['440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609'],
      idxSha256: ['ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db'],
    },
    'train-labels-idx1-ubyte.gz': {
      sha256: ['3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c'],
      idxSha256: ['65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5'],
    },
    't10k-images-idx3-ubyte.gz': {
      sha256: ['8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6'],
      idxSha256: ['0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7'],
    },
    't10k-labels-idx1-ubyte.gz': {
      sha256: ['f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6'],
      idxSha256: ['ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2'],
    },
  },
  'fashion-mnist': {
    'train-images-idx3-ubyte.gz': { sha256: ['3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84'] },
    'train-labels-idx1-ubyte.gz': { sha256: ['a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845'] },
    't10k-images-idx3-ubyte.gz': { sha256: ['346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073'] },
    't10k-labels-idx1-ubyte.gz': { sha256: ['67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5'] },
  },
  kmnist: {
    'train-images-idx3-ubyte.gz': { sha256: ['51467d22d8cc72929e2a028a0428f2086b092bb31cfb79c69cc0a90ce135fde4'] },
    'train-labels-idx1-ubyte.gz': { sha256: ['e38f9ebcd0f3ebcdec7fc8eabdcdaef93bb0df8ea12bee65224341c8183d8e17'] },
    't10k-images-idx3-ubyte.gz': { sha256: ['edd7a857845ad6bb1d0ba43fe7e794d164fe2dce499a1694695a792adfac43c5'] },
    't10k-labels-idx1-ubyte.gz': { sha256: ['20bb9a0ef54c7db3efc55a92eef5582c109615df22683c380526788f98e42a1c'] },
  },
};

/** Mirrors tried in order; each is a URL prefix the file name is appended to. */
export const MNIST_MIRRORS: Record<MnistVariant, readonly string[]> = {
  mnist: [
    'https://ossci-datasets.s3.amazonaws.com/mnist/',
    'https://storage.googleapis.com/cvdf-datasets/mnist/',
    'http://yann.lecun.com/exdb/mnist/',
  ],
  'fashion-mnist': ['http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/'],
  kmnist: ['http://codh.rois.ac.jp/kmnist/dataset/kmnist/'],
};
