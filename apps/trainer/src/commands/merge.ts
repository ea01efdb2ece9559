import fs from 'node:fs';
import path from 'node:path';
import { aggregate } from '../dataset-run/aggregate';
import { IncompleteShardsError, ShardMismatchError } from '../dataset-run/errors';
import { familyFigures } from '../dataset-run/figures';
import { reportMarkdown } from '../dataset-run/report-md';
import { shardBatches } from '../dataset-run/shard';
import { batchFile, type DatasetManifest, firstDifference, readBatch, readManifest, type SampleResult } from '../dataset-run/store';
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
  const { shard: _s, batches: _b, ...run } = m;
  writeJsonAtomic(path.join(out, 'report.json'), { run, ...report }, 'dataset report');
  const about = `${m.count} images of ${m.data}, model ${m.model} (sha256 ${m.modelHash.slice(0, 12)}), seed ${m.seed}, batch size ${m.batchSize}; explained class: ${m.target}; masks: ${m.masks ? "the digit's stroke (pixels > 0.5)" : 'none'}.`;
  writeFileAtomicSync(path.join(out, 'report.md'), reportMarkdown(report, about, figures), { purpose: 'dataset report' });
  log(`merge: ${manifests.length} shard(s), ${report.images} images x ${m.methods.length} methods -> ${path.join(out, 'report.md')}`);
}
