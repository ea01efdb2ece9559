import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BatchResult, SampleResult } from '@logitlab/explain';
import { writeFileAtomicSync } from '@logitlab/core/node';
import { jsonReplacer } from '../fsutil';
import { type BatchCandidates, type CandidateSpec, decodeFloats } from './candidates';
import { CorruptBatchError, ShardMismatchError } from './errors';
import type { Shard } from './shard';

export const MANIFEST = 'manifest.json';
const FORMAT = 'logitlab-explain-dataset/1';

/** What a shard directory holds; every field but `shard` and `batches` must agree across the shards of one run. */
export interface DatasetManifest {
  format: typeof FORMAT;
  /** sha256 of the checkpoint's bytes. */
  modelHash: string;
  model: string;
  data: string;
  split: string;
  /** Images in the run (after --limit). */
  count: number;
  batchSize: number;
  seed: number;
  target: string;
  masks: boolean;
  methods: string[];
  metrics: string[];
  /**
   * How each batch file picks the images whose maps it keeps for the report's best / worst heatmaps;
   * null when no metric ranks them; absent in runs written before batch files kept any.
   */
  candidates?: CandidateSpec | null;
  shard: Shard;
  /** The batch indices this shard computes. */
  batches: number[];
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The fields that make two shards parts of the same run. */
export function runKey(m: DatasetManifest): Omit<DatasetManifest, 'shard' | 'batches'> {
  const { shard: _s, batches: _b, ...key } = m;
  return key;
}

/** Names the first field where two manifests disagree, or null. */
export function firstDifference(a: DatasetManifest, b: DatasetManifest): string | null {
  const ka = runKey(a) as Record<string, unknown>;
  const kb = runKey(b) as Record<string, unknown>;
  for (const k of Object.keys({ ...ka, ...kb })) {
    if (JSON.stringify(ka[k]) !== JSON.stringify(kb[k])) return `${k}: ${JSON.stringify(ka[k])} vs ${JSON.stringify(kb[k])}`;
  }
  return null;
}

export function readManifest(dir: string): DatasetManifest | null {
  const file = path.join(dir, MANIFEST);
  if (!fs.existsSync(file)) return null;
  let m: DatasetManifest;
  try {
    m = JSON.parse(fs.readFileSync(file, 'utf8')) as DatasetManifest;
  } catch (err) {
    throw new CorruptBatchError(file, err instanceof Error ? err.message : String(err));
  }
  if (m?.format !== FORMAT)
    throw new ShardMismatchError(`${file} is not a dataset-explanation manifest (format ${JSON.stringify(m?.format)}, expected ${FORMAT})`);
  return m;
}

/**
 * Opens a shard directory for writing: a new one gets the manifest; an existing one (a resumed run)
 * must hold the same run and shard, or nothing is touched. Leftover temp files of a killed write are removed.
 */
export function openShardDir(dir: string, manifest: DatasetManifest): void {
  const old = readManifest(dir);
  if (old) {
    const diff =
      firstDifference(old, manifest) ??
      (JSON.stringify(old.shard) !== JSON.stringify(manifest.shard)
        ? `shard: ${old.shard.index}/${old.shard.count} vs ${manifest.shard.index}/${manifest.shard.count}`
        : null);
    if (diff) throw new ShardMismatchError(`${dir} holds another run (${diff}); use a new --out directory or the original settings`);
  }
  fs.mkdirSync(path.join(dir, 'batches'), { recursive: true });
  // a SIGKILL between the temp file's write and its rename leaves `.batch-N.json.<pid>.<random>.tmp` (core's atomic write)
  for (const name of fs.readdirSync(path.join(dir, 'batches')))
    if (/^\.batch-\d+\.json\.\d+\.[^.]+\.tmp$/.test(name)) fs.rmSync(path.join(dir, 'batches', name), { force: true });
  if (!old) writeFileAtomicSync(path.join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { purpose: 'dataset manifest' });
}

export const batchFile = (dir: string, batch: number): string => path.join(dir, 'batches', `batch-${String(batch).padStart(6, '0')}.json`);

/** A batch file: the batch's results, and the maps of its best / worst candidates when the manifest asks for them. */
export type StoredBatch = BatchResult & { candidates?: BatchCandidates };

/** One finished batch, committed atomically: a reader sees the whole file or none. */
export function writeBatch(dir: string, result: StoredBatch): void {
  writeFileAtomicSync(batchFile(dir, result.batch), `${JSON.stringify(result, jsonReplacer)}\n`, { purpose: 'finished batch' });
}

/** Reads a batch file back and checks it holds what the manifest promises; anything else is a `CorruptBatchError`. */
export function readBatch(dir: string, batch: number, m: DatasetManifest): StoredBatch {
  const file = batchFile(dir, batch);
  let r: StoredBatch;
  try {
    r = JSON.parse(fs.readFileSync(file, 'utf8')) as StoredBatch;
  } catch (err) {
    throw new CorruptBatchError(file, err instanceof Error ? err.message.split('\n')[0]! : String(err));
  }
  const start = batch * m.batchSize;
  const count = Math.min(m.batchSize, m.count - start);
  if (r?.batch !== batch || r.start !== start || r.count !== count)
    throw new CorruptBatchError(file, `expected batch ${batch} of ${count} images from ${start}`);
  if (!Array.isArray(r.samples) || r.samples.length !== count * m.methods.length) {
    throw new CorruptBatchError(
      file,
      `expected ${count * m.methods.length} results (${count} images x ${m.methods.length} methods), found ${Array.isArray(r.samples) ? r.samples.length : 'none'}`,
    );
  }
  r.samples.forEach((s, k) => {
    const i = start + Math.floor(k / m.methods.length);
    const method = m.methods[k % m.methods.length];
    if (s?.index !== i || s.method !== method || typeof s.metrics !== 'object' || s.metrics === null) {
      throw new CorruptBatchError(file, `result ${k} should be image ${i} with method ${method}`);
    }
    for (const name of m.metrics) s.metrics[name] = toNumber(s.metrics[name], file, name);
  });
  if (m.candidates) checkCandidates(r.candidates, m.candidates, m.methods, start, count, file);
  return r;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The candidates a manifest promises: per method, at most 2k images of this batch, each with its map and image. */
function checkCandidates(
  c: BatchCandidates | undefined,
  spec: CandidateSpec,
  methods: readonly string[],
  start: number,
  count: number,
  file: string,
): void {
  if (!isObject(c) || !isObject(c.images) || !isObject(c.maps))
    throw new CorruptBatchError(file, `expected the maps of its best / worst images by ${spec.rankedBy} ("candidates"), found none`);
  const d = spec.shape[0] * spec.shape[1];
  const inBatch = (key: string) => Number.isInteger(Number(key)) && Number(key) >= start && Number(key) < start + count;
  for (const method of methods) {
    const maps = c.maps[method];
    if (!isObject(maps) || Object.keys(maps).length > 2 * spec.k)
      throw new CorruptBatchError(file, `expected up to ${2 * spec.k} candidate maps for ${method}`);
    for (const [key, map] of Object.entries(maps)) {
      if (!inBatch(key) || !decodeFloats(map, d) || !decodeFloats(c.images[key], d))
        throw new CorruptBatchError(
          file,
          `candidate image ${key} of ${method} is not an image of this batch with a map and pixels of ${d} values`,
        );
    }
  }
}

/** The batches of a manifest already finished in `dir` (each is read and checked). */
export function finishedBatches(dir: string, m: DatasetManifest): Set<number> {
  const done = new Set<number>();
  for (const b of m.batches) if (fs.existsSync(batchFile(dir, b))) done.add((readBatch(dir, b, m), b));
  return done;
}

// jsonReplacer writes NaN / Infinity as strings
function toNumber(v: unknown, file: string, name: string): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return Number(v);
  throw new CorruptBatchError(file, `metric ${name} is ${JSON.stringify(v)}, not a number`);
}

export type { SampleResult };
