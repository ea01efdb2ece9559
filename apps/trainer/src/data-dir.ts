import fs from 'node:fs';
import path from 'node:path';
import {
  idxBytes,
  type ImageSet,
  MNIST_CHECKSUMS,
  MNIST_FILES,
  MNIST_IDX_BYTES,
  MNIST_VARIANTS,
  type MnistVariant,
  sha256Hex,
} from '@logitlab/datasets';
import { UsageError } from './errors';

/**
 * `--data <dir>` takes any valid IDX files under the MNIST names (ours from encodeMnist, a subset, a
 * re-export): the files are loaded without a required digest and checked as IDX of the right shapes.
 * A file whose SHA-256 is a published one is named as verified, the others as unverified, so the log
 * says which guarantee the run had (a digest check refused our own encodeMnist output with ChecksumError).
 */

/** Every MNIST file name, with no required digest: loadMnist then accepts any well-formed IDX. */
export const ANY_IDX: Record<string, null> = Object.fromEntries(
  Object.values(MNIST_FILES).flatMap(({ images, labels }) => [
    [images, null],
    [labels, null],
  ]),
);

/** The file loadMnist reads for `name` in `dir` (the .gz, else the decompressed copy), if any. */
function present(dir: string, name: string): string | undefined {
  for (const candidate of [name, name.replace(/\.gz$/, '')]) {
    const file = path.join(dir, candidate);
    if (fs.statSync(file, { throwIfNoEntry: false })?.isFile()) return file;
  }
  return undefined;
}

/**
 * Which variant published a file with these bytes: its own digest, or that of its IDX payload (a
 * re-compressed copy has another .gz digest but the published IDX one).
 */
async function publishedAs(bytes: Uint8Array, name: string): Promise<MnistVariant | undefined> {
  const digests = [await sha256Hex(bytes)];
  try {
    const raw = idxBytes(bytes, { name, maxBytes: MNIST_IDX_BYTES[name] });
    if (raw !== bytes) digests.push(await sha256Hex(raw));
  } catch {
    // not decompressible: loading reports it
  }
  return MNIST_VARIANTS.find((v) => {
    const spec = MNIST_CHECKSUMS[v][name];
    return !!spec && [...(spec.sha256 ?? []), ...(spec.idxSha256 ?? [])].some((d) => digests.includes(d));
  });
}

/** One phrase per file of `split` found in `dir`: "t10k-images verified (mnist SHA-256)" or "... unverified". */
export async function describeDirFiles(dir: string, split: 'train' | 'test'): Promise<string[]> {
  const out: string[] = [];
  for (const name of Object.values(MNIST_FILES[split])) {
    const file = present(dir, name);
    if (!file) continue;
    const variant = await publishedAs(new Uint8Array(fs.readFileSync(file)), name);
    out.push(
      variant
        ? `${path.basename(file)} verified (published ${variant} SHA-256)`
        : `${path.basename(file)} unverified (not a published file: checked as IDX of 28x28 images only)`,
    );
  }
  return out;
}

/** The models take 28x28 digits with labels 0-9: other IDX shapes are refused here, naming the file set. */
export function checkDigitShapes(set: ImageSet, where: string): void {
  if (set.height !== 28 || set.width !== 28)
    throw new UsageError(`--data: ${where} holds ${set.height}x${set.width} images; expected 28x28 digits`, 1);
  const bad = set.labels.findIndex((l) => l < 0 || l > 9);
  if (bad !== -1) throw new UsageError(`--data: ${where} has label ${set.labels[bad]} at index ${bad}; expected digits 0-9`, 1);
}
