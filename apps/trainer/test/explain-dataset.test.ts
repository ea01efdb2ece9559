// The dataset-scale explanation run through the BUILT CLI in plain node child processes: the
// Kubernetes Indexed Job's command run locally as 3 processes with JOB_COMPLETION_INDEX set, a run
// killed mid-way and resumed, and every bad input of issue 22 as a typed one-line error that changes
// no finished result. Tiny on purpose: an untrained convnet on 30 synthetic digits in 6 batches of 5
// (6 batches: 3 shards of 2, and a kill that can land between batches), 2 methods.
// Needs a prior `pnpm build`; skips with a visible message otherwise.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { manualSeed } from '@logitlab/layers';
import { MnistConvNet } from '@logitlab/models';
import { saveCheckpoint } from '@logitlab/train';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = path.join(repoRoot, 'apps/trainer/dist/cli.js');
const built = fs.existsSync(cli);
if (!built) console.warn(`[explain --dataset] SKIPPED: ${path.relative(repoRoot, cli)} is missing; run \`pnpm build\` first`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'logitlab-dscale-'));
const run = path.join(tmp, 'run');
const at = (name: string) => path.join(tmp, name);
const ARGS = ['--dataset', '--data', 'synthetic', '--limit', '30', '--batch-size', '5', '--backend', 'wasm'];
const METHODS = ['--methods', 'gradient,lrp:epsilonPlus'];
const METRICS = ['--metrics', 'faithfulness,robustness,localisation,complexity,randomisation,axiomatic'];
const explainArgs = (out: string, extra: string[] = []) => ['explain', run, ...ARGS, ...METHODS, ...METRICS, '--out', out, ...extra];
const childEnv = (extra: NodeJS.ProcessEnv = {}) => {
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0', ...extra };
  for (const k of ['JOB_COMPLETION_INDEX', 'JOB_COMPLETIONS']) if (!(k in extra)) delete env[k];
  return env;
};

function logitlab(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: tmp, encoding: 'utf8', timeout: 300_000, env: childEnv(env) });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function logitlabAsync(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { child: ChildProcess; done: Promise<number | null>; stderr: () => string } {
  const child = spawn(process.execPath, [cli, ...args], { cwd: tmp, env: childEnv(env), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // 'close' waits for stderr to drain, where 'exit' may come before its last line
  return { child, done: new Promise((resolve) => child.on('close', (code) => resolve(code))), stderr: () => stderr };
}

/** Waits until `out` holds a committed batch file (or the child has exited). */
async function firstCommittedBatch(out: string, child: ChildProcess): Promise<void> {
  while (
    !fs.existsSync(path.join(out, 'batches')) ||
    fs.readdirSync(path.join(out, 'batches')).filter((n) => n.endsWith('.json') && !n.startsWith('.')).length === 0
  ) {
    if (child.exitCode !== null) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function ok(r: ReturnType<typeof logitlab>): void {
  expect(r.status, r.stderr).toBe(0);
}

/** Hashes of every file under dir, by relative path. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const file = path.join(dir, name);
    if (fs.statSync(file).isFile()) out[name] = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  }
  return out;
}

function oneLineError(r: ReturnType<typeof logitlab>, message: RegExp): void {
  expect(r.status, r.stdout).not.toBe(0);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe.skipIf(!built)('logitlab explain --dataset and merge (built CLI, child processes)', () => {
  beforeAll(async () => {
    // a `logitlab train convnet` run directory holding an untrained convnet: training is not what is under test
    fs.mkdirSync(path.join(run, 'checkpoints'), { recursive: true });
    manualSeed(1);
    const model = new MnistConvNet({ head: 'logSoftmax' });
    const optimizer = tf.train.sgd(0.01);
    const bytes = await saveCheckpoint(model, optimizer, { epoch: 1, step: 0, seed: 1, arch: model.toString() });
    fs.writeFileSync(path.join(run, 'checkpoints/convnet-epoch-00001.safetensors'), bytes);
    const config = {
      command: 'train',
      model: 'convnet',
      head: 'logSoftmax',
      seed: 1,
      quick: true,
      options: { dataSpec: { kind: 'synthetic' } },
    };
    fs.writeFileSync(path.join(run, 'config.json'), JSON.stringify(config));
    model.dispose();
    optimizer.dispose();
    ok(logitlab(explainArgs(at('full'))));
    ok(logitlab(['merge', at('full'), '--out', at('report-full')]));
  }, 600_000);

  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('writes one committed file per batch and a report with every method and metric', () => {
    expect(fs.readdirSync(at('full/batches'))).toHaveLength(6);
    const report = JSON.parse(fs.readFileSync(at('report-full/report.json'), 'utf8'));
    expect(report.methods).toEqual(['gradient', 'lrp:epsilonPlus']);
    expect(report.metrics).toHaveLength(14);
    expect(report.table['gradient'].pointingGame.n).toBe(30);
    expect(fs.readFileSync(at('report-full/report.md'), 'utf8')).toMatch(/## Findings/);
    expect(fs.existsSync(at('report-full/faithfulness.png'))).toBe(true);
    // the best / worst images per method as heatmaps, from the candidates the batch files kept
    for (const file of ['extremes-gradient.png', 'extremes-lrp-epsilonPlus.png']) {
      expect(
        fs
          .readFileSync(at(`report-full/${file}`))
          .subarray(1, 4)
          .toString(),
      ).toBe('PNG');
      expect(fs.readFileSync(at('report-full/report.md'), 'utf8')).toContain(`](${file})`);
    }
    expect(report.extremes.rankedBy).toBe('pixelFlipping');
    expect(report.extremes.best['gradient']).toHaveLength(3);
    const batch = JSON.parse(fs.readFileSync(at('full/batches/batch-000000.json'), 'utf8'));
    expect(batch.samples.some((s: { map?: unknown }) => 'map' in s)).toBe(false);
    expect(Object.keys(batch.candidates.maps['gradient']).length).toBeLessThanOrEqual(6);
  });

  it('batch files from before candidates merge without heatmaps; resuming them, or a file missing a shown map, is a typed error', () => {
    // an old run: no `candidates` in the manifest or the batch files
    const old = at('old');
    fs.cpSync(at('full'), old, { recursive: true });
    const { candidates: _c, ...manifest } = JSON.parse(fs.readFileSync(path.join(old, 'manifest.json'), 'utf8'));
    fs.writeFileSync(path.join(old, 'manifest.json'), JSON.stringify(manifest));
    for (const name of fs.readdirSync(path.join(old, 'batches'))) {
      const { candidates: _b, ...rest } = JSON.parse(fs.readFileSync(path.join(old, 'batches', name), 'utf8'));
      fs.writeFileSync(path.join(old, 'batches', name), JSON.stringify(rest));
    }
    const merged = logitlab(['merge', old, '--out', at('report-old')]);
    ok(merged);
    expect(merged.stdout).toMatch(/merge: no heatmaps: the batch files were written before `explain --dataset` kept/);
    const md = fs.readFileSync(at('report-old/report.md'), 'utf8');
    expect(md).toMatch(/## Best and worst images per method \(by pixelFlipping\)/);
    expect(md).toMatch(/\(no heatmaps: .*run it again into a new --out directory to get them\.\)/);
    expect(fs.readdirSync(at('report-old')).filter((n) => n.startsWith('extremes-'))).toEqual([]);
    // the same table, images and findings; only the run's description lacks the candidates
    const full = JSON.parse(fs.readFileSync(at('report-full/report.json'), 'utf8'));
    delete full.run.candidates;
    expect(JSON.parse(fs.readFileSync(at('report-old/report.json'), 'utf8'))).toEqual(full);
    const before = snapshot(old);
    oneLineError(logitlab(explainArgs(old)), /ShardMismatchError: .* holds another run \(candidates: undefined vs /);
    expect(snapshot(old)).toEqual(before);

    // a batch file whose candidates lack the map of an image the report shows
    const report = JSON.parse(fs.readFileSync(at('report-full/report.json'), 'utf8'));
    const shown: number = report.extremes.best['lrp:epsilonPlus'][0].index;
    const cut = at('cut-map');
    fs.cpSync(at('full'), cut, { recursive: true });
    const file = path.join(cut, `batches/batch-${String(Math.floor(shown / 5)).padStart(6, '0')}.json`);
    const stored = JSON.parse(fs.readFileSync(file, 'utf8'));
    delete stored.candidates.maps['lrp:epsilonPlus'][String(shown)];
    fs.writeFileSync(file, JSON.stringify(stored));
    oneLineError(
      logitlab(['merge', cut, '--out', at('r-map')]),
      new RegExp(
        `CorruptBatchError: .*image ${shown} is among lrp:epsilonPlus's 3 best or worst by pixelFlipping, but the file keeps no map for it`,
      ),
    );
    // and one with no candidates at all where the manifest promises them
    delete stored.candidates;
    fs.writeFileSync(file, JSON.stringify(stored));
    oneLineError(
      logitlab(['merge', cut, '--out', at('r-map')]),
      /CorruptBatchError: .*is corrupted \(expected the maps of its best \/ worst images by pixelFlipping \("candidates"\), found none\)/,
    );
  });

  it('the Job command as 3 processes with JOB_COMPLETION_INDEX gives the unsharded report bit for bit', { timeout: 600_000 }, async () => {
    const shards = [0, 1, 2].map((i) =>
      logitlabAsync(explainArgs(at(`shard-${i}`)), { JOB_COMPLETION_INDEX: String(i), JOB_COMPLETIONS: '3' }),
    );
    expect(await Promise.all(shards.map((s) => s.done))).toEqual([0, 0, 0]);
    ok(logitlab(['merge', at('shard-2'), at('shard-0'), at('shard-1'), '--out', at('report-sharded')]));
    expect(snapshot(at('report-sharded'))).toEqual(snapshot(at('report-full')));
  });

  it('a run killed mid-way continues where it stopped, with identical results', { timeout: 600_000 }, async () => {
    const out = at('killed');
    const { child, done } = logitlabAsync(explainArgs(out));
    // kill as soon as the first batch is committed (or whenever the process gets there on a busy machine)
    await firstCommittedBatch(out, child);
    child.kill('SIGKILL');
    await done;
    const finished = fs.readdirSync(path.join(out, 'batches')).filter((n) => !n.startsWith('.'));
    expect(finished.length).toBeGreaterThan(0);
    expect(finished.length).toBeLessThan(6);
    const resumed = logitlab(explainArgs(out));
    ok(resumed);
    expect(resumed.stdout).toMatch(new RegExp(`${finished.length} already done`));
    expect(snapshot(path.join(out, 'batches'))).toEqual(snapshot(at('full/batches')));
    ok(logitlab(['merge', out, '--out', at('report-killed')]));
    expect(snapshot(at('report-killed'))).toEqual(snapshot(at('report-full')));
  });

  it(
    'SIGTERM (what Kubernetes sends before SIGKILL) stops the run between two committed batches: exit 143, one line, and a rerun resumes to identical results',
    { timeout: 600_000 },
    async () => {
      const out = at('terminated');
      const { child, done, stderr } = logitlabAsync(explainArgs(out));
      await firstCommittedBatch(out, child);
      expect(child.exitCode, 'the run finished before the first batch was seen').toBeNull();
      child.kill('SIGTERM');
      expect(await done, stderr()).toBe(143);
      // the progress lines (stderr, one per 10%), then one line saying what happened
      const lines = stderr()
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('[explain '));
      expect(lines, stderr()).toHaveLength(1);
      const said =
        /^logitlab: explain --dataset: interrupted \(SIGTERM\); (\d) of 6 batches of shard 0\/1 are committed in .*terminated and any batch in progress was dropped; run the same command again to continue$/.exec(
          lines[0]!,
        );
      expect(said, lines[0]).not.toBeNull();
      // whole batch files only: no temp file of a half-written one
      const names = fs.readdirSync(path.join(out, 'batches'));
      expect(
        names.every((n) => /^batch-\d{6}\.json$/.test(n)),
        names.join(', '),
      ).toBe(true);
      expect(names).toHaveLength(Number(said![1]));
      expect(names.length).toBeGreaterThan(0);
      expect(names.length).toBeLessThan(6);
      const resumed = logitlab(explainArgs(out));
      ok(resumed);
      expect(resumed.stdout).toMatch(new RegExp(`${names.length} already done`));
      expect(snapshot(path.join(out, 'batches'))).toEqual(snapshot(at('full/batches')));
    },
  );

  it('bad input: typed one-line errors that change no finished result', { timeout: 600_000 }, () => {
    const before = snapshot(at('full'));
    oneLineError(
      logitlab(explainArgs(at('x'), ['--shard', '3/3'])),
      /--shard 3\/3: shard index 3 is out of range; expected 0..2 for 3 shards/,
    );
    oneLineError(logitlab(explainArgs(at('x'), ['--shard', '0/0'])), /--shard 0\/0: the number of shards must be at least 1; got 0/);
    oneLineError(
      logitlab(explainArgs(at('x')), { JOB_COMPLETION_INDEX: '1' }),
      /ShardSpecError: JOB_COMPLETION_INDEX and JOB_COMPLETIONS must be set together/,
    );
    oneLineError(
      logitlab(explainArgs(at('x'), ['--limit', '20000'])),
      /--limit 20000 is larger than the 10000 images of the synthetic test split/,
    );
    oneLineError(
      logitlab(explainArgs(at('x'), ['--masks', 'none'])),
      /MissingMasksError: pointingGame, attributionLocalisation, relevanceRankAccuracy need ground-truth masks/,
    );
    oneLineError(
      logitlab(['explain', run, ...ARGS, '--methods', 'lrp:epsilonPlu', '--out', at('x')]),
      /ExplainOptionsError: unknown composite 'epsilonPlu'/,
    );
    // the finished full run, resumed with other settings
    oneLineError(
      logitlab(['explain', run, ...ARGS, ...METHODS, '--metrics', 'complexity', '--out', at('full')]),
      /ShardMismatchError: .* holds another run \(metrics:/,
    );
    // merge: a missing shard, a duplicated one, shards of another run, a corrupted batch. The shards are
    // cut from the full run (as the sharded test's would be), so this test runs on its own too.
    const manifest = JSON.parse(fs.readFileSync(at('full/manifest.json'), 'utf8'));
    for (const i of [0, 1]) {
      const dir = at(`cut-${i}`);
      const batches = [2 * i, 2 * i + 1]; // 6 batches in 3 shards: blocks of 2
      fs.mkdirSync(path.join(dir, 'batches'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ ...manifest, shard: { index: i, count: 3 }, batches }));
      for (const b of batches)
        fs.copyFileSync(path.join(at('full/batches'), `batch-00000${b}.json`), path.join(dir, `batches/batch-00000${b}.json`));
    }
    oneLineError(logitlab(['merge', at('cut-0'), at('cut-1'), '--out', at('r')]), /IncompleteShardsError: shard\(s\) 2 of 3 missing/);
    oneLineError(
      logitlab(['merge', at('cut-0'), at('cut-0'), at('cut-1'), '--out', at('r')]),
      /IncompleteShardsError: shard 0\/3 is given twice/,
    );
    oneLineError(logitlab(['merge', at('cut-0'), at('full'), '--out', at('r')]), /ShardMismatchError: .*different shard counts/);
    const other = at('cut-other');
    fs.cpSync(at('cut-1'), other, { recursive: true });
    fs.writeFileSync(
      path.join(other, 'manifest.json'),
      JSON.stringify({ ...manifest, seed: 2, shard: { index: 1, count: 3 }, batches: [2, 3] }),
    );
    oneLineError(
      logitlab(['merge', at('cut-0'), other, '--out', at('r')]),
      /ShardMismatchError: .*are not shards of one run \(seed: 1 vs 2\)/,
    );
    fs.rmSync(path.join(at('cut-1'), 'batches/batch-000003.json'));
    fs.cpSync(at('cut-1'), at('cut-2'), { recursive: true });
    fs.writeFileSync(
      path.join(at('cut-2'), 'manifest.json'),
      JSON.stringify({ ...manifest, shard: { index: 2, count: 3 }, batches: [4, 5] }),
    );
    oneLineError(
      logitlab(['merge', at('cut-0'), at('cut-1'), at('cut-2'), '--out', at('r')]),
      /IncompleteShardsError: .*cut-1 \(shard 1\/3\) has 1 unfinished batch\(es\) \(3\)/,
    );
    fs.cpSync(at('full'), at('corrupt'), { recursive: true });
    const victim = path.join(at('corrupt'), 'batches/batch-000003.json');
    fs.writeFileSync(victim, fs.readFileSync(victim, 'utf8').slice(0, 200));
    oneLineError(logitlab(['merge', at('corrupt'), '--out', at('r')]), /CorruptBatchError: .*batch-000003\.json is corrupted/);
    oneLineError(
      logitlab(explainArgs(at('corrupt'))),
      /CorruptBatchError: .*batch-000003\.json is corrupted .*delete it and run the same command again/,
    );
    expect(fs.existsSync(at('r'))).toBe(false);
    expect(fs.existsSync(at('x'))).toBe(false);
    expect(snapshot(at('full'))).toEqual(before);
  });
});
