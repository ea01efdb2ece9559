import fs from 'node:fs';
import path from 'node:path';
import { aggregate } from '../dataset-run/aggregate';
import { type CandidateSpec, decodeFloats } from '../dataset-run/candidates';
import { CorruptBatchError, IncompleteShardsError, ShardMismatchError } from '../dataset-run/errors';
import { type CandidateLookup, extremeFigures, extremesFile } from '../dataset-run/extreme-figures';
import { familyFigures } from '../dataset-run/figures';
import { reportMarkdown } from '../dataset-run/report-md';
import { shardBatches } from '../dataset-run/shard';
import {
  batchFile,
  type DatasetManifest,
  firstDifference,
  readBatch,
  readManifest,
  type SampleResult,
  type StoredBatch,
} from '../dataset-run/store';
import { writeJsonAtomic } from '../fsutil';
import { writeFileAtomicSync } from '@logitlab/core/node';

export interface MergeFlags {
  dirs: string[];
  out: string;
  figures: boolean;
}

const log = (line: string) => process.stdout.write(`${line}\n`);

/** Checks that `dirs` are all N shards of one run, each complete, and returns the manifests by shard index. */
export function checkShards(dirs: readonly string[]): { manifests: DatasetManifest[]; dirs: string[] } {
  const found = dirs.map((dir) => {
    const m = readManifest(dir);
    if (!m) throw new IncompleteShardsError(`${dir} has no manifest.json: not the output of \`logitlab explain --dataset\``);
    return { dir, m };
  });
  const first = found[0]!;
  for (const { dir, m } of found.slice(1)) {
    const diff = firstDifference(first.m, m);
    if (diff) throw new ShardMismatchError(`${dir} and ${first.dir} are not shards of one run (${diff})`);
    if (m.shard.count !== first.m.shard.count)
      throw new ShardMismatchError(
        `${dir} is shard ${m.shard.index}/${m.shard.count} but ${first.dir} is ${first.m.shard.index}/${first.m.shard.count}: different shard counts`,
      );
  }
  const n = first.m.shard.count;
  const byIndex: ({ dir: string; m: DatasetManifest } | undefined)[] = Array.from({ length: n });
  for (const f of found) {
    const twin = byIndex[f.m.shard.index];
    if (twin) throw new IncompleteShardsError(`shard ${f.m.shard.index}/${n} is given twice (${twin.dir} and ${f.dir})`);
    byIndex[f.m.shard.index] = f;
  }
  const missing = byIndex.flatMap((f, i) => (f ? [] : [i]));
  if (missing.length > 0)
    throw new IncompleteShardsError(`shard(s) ${missing.join(', ')} of ${n} missing; pass all ${n} shard directories`);
  const batches = Math.ceil(first.m.count / first.m.batchSize);
  for (const { dir, m } of byIndex as { dir: string; m: DatasetManifest }[]) {
    if (JSON.stringify(m.batches) !== JSON.stringify(shardBatches(batches, m.shard)))
      throw new ShardMismatchError(`${dir}: its batch list is not shard ${m.shard.index}/${n}'s`);
    const unfinished = m.batches.filter((b) => !fs.existsSync(batchFile(dir, b)));
    if (unfinished.length > 0) {
      throw new IncompleteShardsError(
        `${dir} (shard ${m.shard.index}/${n}) has ${unfinished.length} unfinished batch(es) (${unfinished.slice(0, 5).join(', ')}${unfinished.length > 5 ? ', ...' : ''}); run its command again to finish`,
      );
    }
  }
  return { manifests: byIndex.map((f) => f!.m), dirs: byIndex.map((f) => f!.dir) };
}

/**
 * `logitlab merge DIR...`: the shards of one dataset run (or one unsharded run) into one report:
 * report.json (the method x metric table with 95% intervals, best / worst images, findings),
 * report.md and a figure per metric family. The report depends only on the results, so any sharding
 * of the same run gives the same files.
 */
export async function mergeCommand(o: MergeFlags): Promise<void> {
  const dirs = o.dirs.map((d) => path.resolve(d));
  const { manifests, dirs: ordered } = checkShards(dirs);
  const samples: SampleResult[] = [];
  // only the samples stay in memory; the candidates' maps are read again for the few images shown
  manifests.forEach((m, i) => {
    for (const b of m.batches) samples.push(...readBatch(ordered[i]!, b, m).samples);
  });
  const m = manifests[0]!;
  const report = aggregate(samples, m.methods, m.metrics);
  const out = path.resolve(o.out);
  fs.mkdirSync(out, { recursive: true });
  const figures: Record<string, string> = {};
  if (o.figures) {
    for (const [family, png] of await familyFigures(report)) {
      figures[family] = `${family}.png`;
      writeFileAtomicSync(path.join(out, `${family}.png`), png, { purpose: 'report figure' });
    }
  }
  const heatmaps: Record<string, string> = {};
  if (o.figures && m.candidates) {
    for (const [method, png] of await extremeFigures(report, m.candidates, candidateLookup(ordered, manifests, m.candidates))) {
      heatmaps[method] = extremesFile(method);
      writeFileAtomicSync(path.join(out, extremesFile(method)), png, { purpose: 'report figure' });
    }
  }
  // batch files written before they kept candidates still merge: the report names the images, without heatmaps
  const noHeatmaps =
    m.candidates === undefined
      ? "no heatmaps: the batch files were written before `explain --dataset` kept the best and worst images' maps; run it again into a new --out directory to get them"
      : null;
  if (noHeatmaps) log(`merge: ${noHeatmaps}`);
  const { shard: _s, batches: _b, ...run } = m;
  writeJsonAtomic(path.join(out, 'report.json'), { run, ...report }, 'dataset report');
  const about = `${m.count} images of ${m.data}, model ${m.model} (sha256 ${m.modelHash.slice(0, 12)}), seed ${m.seed}, batch size ${m.batchSize}; explained class: ${m.target}; masks: ${m.masks ? "the digit's stroke (pixels > 0.5)" : 'none'}.`;
  writeFileAtomicSync(path.join(out, 'report.md'), reportMarkdown(report, about, figures, noHeatmaps ?? heatmaps), {
    purpose: 'dataset report',
  });
  log(`merge: ${manifests.length} shard(s), ${report.images} images x ${m.methods.length} methods -> ${path.join(out, 'report.md')}`);
}

/** Reads an image's candidate map back from the batch file that holds it (each file read once). */
function candidateLookup(dirs: readonly string[], manifests: readonly DatasetManifest[], spec: CandidateSpec): CandidateLookup {
  const shardOf = new Map<number, number>();
  manifests.forEach((m, i) => {
    for (const b of m.batches) shardOf.set(b, i);
  });
  const read = new Map<number, StoredBatch>();
  const d = spec.shape[0] * spec.shape[1];
  return (method, index) => {
    const batch = Math.floor(index / manifests[0]!.batchSize);
    const i = shardOf.get(batch)!;
    let r = read.get(batch);
    if (!r) read.set(batch, (r = readBatch(dirs[i]!, batch, manifests[i]!)));
    const map = decodeFloats(r.candidates?.maps[method]?.[index], d);
    const image = decodeFloats(r.candidates?.images[index], d);
    if (!map || !image) {
      throw new CorruptBatchError(
        batchFile(dirs[i]!, batch),
        `image ${index} is among ${method}'s ${spec.k} best or worst by ${spec.rankedBy}, but the file keeps no map for it`,
      );
    }
    return { image, map };
  };
}
