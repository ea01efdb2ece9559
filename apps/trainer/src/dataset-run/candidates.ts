import type { BatchResult } from '@logitlab/explain';
import { explanationMetrics } from '@logitlab/metrics';

// The report shows each method's k best and k worst images as heatmaps, but merge cannot keep every
// map of a dataset. Under one total order (the ranking metric, then the image index), the dataset's k
// best are among the union of every batch's k best, so each batch file keeps only those candidates'
// maps (and their images), and merge looks the global k up among them: the same images whichever
// sharding produced the files.

/** How a run picks its candidates; written in the manifest, so shards and resumed runs must agree. */
export interface CandidateSpec {
  /** The metric images are ranked by. */
  rankedBy: string;
  higherIsBetter: boolean;
  /** Best and worst images kept per method. */
  k: number;
  /** [height, width] of an image (and its map), as drawn. */
  shape: [number, number];
}

/** What a batch file keeps for its candidates: float32 values, little-endian, base64. */
export interface BatchCandidates {
  /** The input image (the dataset's pixels, before normalisation) by image index. */
  images: Record<string, string>;
  /** The map by method label, then image index. */
  maps: Record<string, Record<string, string>>;
}

export const EXTREMES_K = 3;

/** The metric the best and worst images are ranked by: the first faithfulness metric, else the first metric. */
export function rankingMetric(metricNames: readonly string[]): { name: string; higherIsBetter: boolean } | null {
  const entries = metricNames.flatMap((n) => explanationMetrics.filter((m) => m.name === n));
  const e = entries.find((m) => m.family === 'faithfulness') ?? entries[0];
  return e ? { name: e.name, higherIsBetter: e.higherIsBetter } : null;
}

export interface Ranked {
  index: number;
  value: number;
}

/** The k best and the k worst (worst first) of `rows` with a finite value; ties go to the lower image index. */
export function extremes(rows: readonly Ranked[], k: number, higherIsBetter: boolean): { best: Ranked[]; worst: Ranked[] } {
  const sign = higherIsBetter ? 1 : -1;
  const scored = rows
    .filter((e) => Number.isFinite(e.value))
    // oxlint-disable-next-line unicorn/no-array-sort -- sorts a fresh filtered copy
    .sort((a, b) => sign * (b.value - a.value) || a.index - b.index);
  // oxlint-disable-next-line unicorn/no-array-reverse -- reverses a fresh slice; toReversed is ES2023
  return { best: scored.slice(0, k), worst: scored.slice(-k).reverse() };
}

export const encodeFloats = (v: Float32Array): string => Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');

/** The values of an encoded array of `length` floats, or null when the text is not one. */
export function decodeFloats(text: unknown, length: number): Float32Array | null {
  if (typeof text !== 'string') return null;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== length * 4) return null;
  const out = new Float32Array(length);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/**
 * A batch's results as its file stores them: each method's k best and k worst images of the batch by
 * the spec's metric keep their map (and image) in `candidates`; every other map is dropped.
 */
export function withCandidates(
  result: BatchResult,
  spec: CandidateSpec,
  pixels: (index: number) => Float32Array,
): BatchResult & { candidates: BatchCandidates } {
  const candidates: BatchCandidates = { images: {}, maps: {} };
  const methods = [...new Set(result.samples.map((s) => s.method))];
  for (const method of methods) {
    const rows = result.samples.filter((s) => s.method === method);
    const { best, worst } = extremes(
      rows.map((s) => ({ index: s.index, value: s.metrics[spec.rankedBy] as number })),
      spec.k,
      spec.higherIsBetter,
    );
    const maps: Record<string, string> = {};
    for (const { index } of [...best, ...worst]) {
      const map = rows.find((s) => s.index === index)?.map;
      if (!map) throw new Error(`explainDataset gave no map for image ${index} (${method}); it runs with keepMaps`);
      maps[index] = encodeFloats(map);
      candidates.images[index] ??= encodeFloats(pixels(index));
    }
    candidates.maps[method] = maps;
  }
  const samples = result.samples.map(({ map: _map, ...s }) => s);
  return { ...result, samples, candidates };
}
