// End-to-end: the BUILT CLI (apps/trainer/dist/cli.js) under plain `node`, as users run it. No vitest
// aliases reach the child processes, so this also checks the packages' dist entries in plain Node.
// Needs a prior `pnpm build`; skips with a visible message otherwise.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = path.join(repoRoot, 'apps/trainer/dist/cli.js');
const mnistDir = path.resolve(repoRoot, '../shared/data/mnist');
const built = fs.existsSync(cli);
const haveMnist = fs.existsSync(path.join(mnistDir, 't10k-images-idx3-ubyte.gz'));
if (!built) console.warn(`[trainer e2e] SKIPPED: ${path.relative(repoRoot, cli)} is missing; run \`pnpm build\` first`);
if (!haveMnist) console.warn(`[trainer e2e] real-MNIST checks SKIPPED: no IDX files in ${mnistDir}`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'logitlab-e2e-'));

function logitlab(args: string[], timeout = 600_000) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: tmp, encoding: 'utf8', timeout, env: { ...process.env, FORCE_COLOR: '0' } });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function readJson<T = Record<string, unknown>>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

type Json = Record<string, unknown>;

/** A field of a parsed summary by dotted path ('results.logSoftmax.testAccuracy'). */
function at(obj: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Json)[k] : undefined), obj);
}

function num(obj: unknown, dotted: string): number {
  const v = at(obj, dotted);
  expect(v, dotted).toBeTypeOf('number');
  return v as number;
}

describe.skipIf(!built)('logitlab CLI (built, plain node)', () => {
  it('answers bad input with one line and a non-zero exit, never a stack trace', () => {
    const runDir = path.join(tmp, 'not-a-run');
    fs.mkdirSync(runDir, { recursive: true });
    fs.writeFileSync(path.join(runDir, 'config.json.bak'), '{}');
    const cases: [string[], RegExp][] = [
      [['experiment', 'nope'], /invalid for argument 'name'/],
      [['tuor'], /unknown command 'tuor'/],
      [['train', 'resnet'], /invalid for argument 'model'/],
      [['experiment', 'heads', '--epochs', '0'], /expected a positive integer, got '0'/],
      [['experiment', 'heads', '--lr', 'fast'], /expected a number/],
      [['experiment', 'heads', '--backend', 'gpu'], /unknown backend 'gpu'/],
      [['experiment', 'heads', '--data', path.join(tmp, 'missing-dir')], /nor a readable directory/],
      [['experiment', 'heads', '--resume', runDir], /not a run directory/],
      [['bench', '--workloads', 'resnet'], /unknown workload 'resnet'/],
      [['experiment', 'haeds'], /did you mean 'heads'\?/],
      [['train', 'convnett'], /did you mean 'convnet'\?/],
      [['experiment', 'heads', '--backend', 'wsam'], /did you mean 'wasm'\?/],
      [['experiment', 'heads', '--out', '/proc/self/run'], /kernel pseudo file system/],
      [['experiment', 'heads', '--out', path.join(runDir, 'config.json.bak', 'x')], /ENOTDIR/],
    ];
    for (const [args, message] of cases) {
      const r = logitlab(args, 60_000);
      expect(r.status, args.join(' ')).not.toBe(0);
      const lines = r.stderr.trim().split('\n');
      expect(lines, `${args.join(' ')}: ${r.stderr}`).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('--help works on every command', { timeout: 120_000 }, () => {
    for (const cmd of [[], ['train'], ['evaluate'], ['explain'], ['backends'], ['bench'], ['experiment'], ['tour']]) {
      const r = logitlab([...cmd, '--help'], 60_000);
      expect(r.status, cmd.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/^Usage: logitlab/);
    }
  });

  it('refuses a checkpoint of another architecture in one line', () => {
    const dir = path.join(tmp, 'arch');
    expect(logitlab(['train', 'bn-mlp', '--quick', '--epochs', '1', '--out', dir]).status).toBe(0);
    // pretend the run was a convnet: its checkpoint holds a BnMlp
    const cfg = readJson<Json>(path.join(dir, 'config.json'));
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...cfg, model: 'convnet', head: 'logits' }));
    fs.copyFileSync(
      path.join(dir, 'checkpoints/bn-mlp-epoch-00001.safetensors'),
      path.join(dir, 'checkpoints/convnet-epoch-00001.safetensors'),
    );
    const r = logitlab(['evaluate', dir]);
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/ArchitectureMismatchError: checkpoint holds a BnMlp.*but this model is a MnistConvNet/);
  }, 300_000);

  it('continues from the last checkpoint after SIGKILL', async () => {
    const dir = path.join(tmp, 'killed');
    const ckptDir = path.join(dir, 'checkpoints');
    const checkpoints = () =>
      fs.existsSync(ckptDir) ? fs.readdirSync(ckptDir).filter((f) => /^convnet-epoch-\d+\.safetensors$/.test(f)) : [];
    const child: ChildProcess = spawn(process.execPath, [cli, 'train', 'convnet', '--quick', '--epochs', '4', '--out', dir], {
      cwd: tmp,
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const deadline = Date.now() + 300_000;
    while (checkpoints().length === 0 && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    expect(checkpoints()).not.toHaveLength(0);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(fs.existsSync(path.join(dir, 'summary.json'))).toBe(false); // it really died mid-training

    const r = logitlab(['train', 'convnet', '--resume', dir]);
    expect(r.status, r.stderr).toBe(0);
    const summary = readJson<Json>(path.join(dir, 'summary.json'));
    const resumedFrom = num(summary, 'resumedFromEpoch');
    expect(resumedFrom).toBeGreaterThanOrEqual(1);
    expect(resumedFrom).toBeLessThan(4);
    expect(r.stdout).toContain(`resumed from checkpoint after epoch ${resumedFrom}/4`);
    const epochs = fs
      .readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Json)
      .filter((m) => m.type === 'epoch')
      .map((m) => m.epoch);
    expect([...new Set(epochs)].sort()).toEqual([0, 1, 2, 3]); // oxlint-disable-line unicorn/no-array-sort
    expect(num(summary, 'metrics.testAccuracy')).toBeGreaterThan(0.5);
    expect(fs.readdirSync(ckptDir)).toEqual(['convnet-epoch-00004.safetensors']); // the newest only, no temp file left behind
  }, 600_000);

  it.skipIf(!haveMnist)(
    'runs heads and deep-taylor on real MNIST digits from a directory',
    () => {
      const out = path.join(tmp, 'mnist');
      const r = logitlab(['tour', '--only', 'heads,deep-taylor', '--data', mnistDir, '--epochs', '1', '--out', out]);
      expect(r.status, r.stderr).toBe(0);
      for (const name of ['heads', 'deep-taylor']) {
        const s = readJson<Json>(path.join(out, name, 'summary.json'));
        expect(s.realData).toBe(true);
        expect(String(s.data)).toContain(mnistDir);
      }
      expect(num(readJson<Json>(path.join(out, 'heads/summary.json')), 'results.logSoftmax.testAccuracy')).toBeGreaterThan(0.5);
    },
    600_000,
  );

  it('runs the quick tour: every experiment reports its fields with sensible numbers', () => {
    const out = path.join(tmp, 'tour');
    const t0 = Date.now();
    const r = logitlab(['tour', '--data', 'synthetic', '--out', out], 900_000);
    expect(r.status, r.stderr).toBe(0);
    console.log(`[trainer e2e] tour --quick took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    const s = (name: string) => readJson<Json>(path.join(out, name, 'summary.json'));
    for (const name of ['heads', 'deep-taylor', 'segmentation', 'multilabel', 'batchnorm', 'logits', 'vae-beta', 'explain-convnet']) {
      for (const f of ['summary.json', 'report.md', 'config.json'])
        expect(fs.existsSync(path.join(out, name, f)), `${name}/${f}`).toBe(true);
      const report = fs.readFileSync(path.join(out, name, 'report.md'), 'utf8');
      for (const [, img] of report.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g))
        expect(fs.existsSync(path.join(out, name, decodeURI(img!))), `${name}: ${img}`).toBe(true);
    }
    expect(fs.existsSync(path.join(out, 'report.md'))).toBe(true);

    const heads = s('heads');
    const acc = (h: string) => num(heads, `results.${h}.testAccuracy`);
    for (const h of ['logSoftmax', 'sigmoid', 'softmax', 'logits']) num(heads, `results.${h}.finalLoss`);
    expect(acc('logSoftmax') - acc('sigmoid')).toBeGreaterThan(0.3);
    expect(acc('logSoftmax') - acc('softmax')).toBeGreaterThan(0.3);

    const dt = s('deep-taylor');
    expect(num(dt, 'testAccuracy')).toBeGreaterThan(0.8);
    expect(num(dt, 'conservation.maxRelError')).toBeLessThan(1e-4);
    expect(num(dt, 'aopc.deepTaylor')).toBeGreaterThan(num(dt, 'aopc.sensitivity'));
    for (const m of ['deepTaylor', 'sensitivity', 'integratedGradients'])
      expect(num(dt, `relevanceMassOnStroke.${m}`)).toBeGreaterThanOrEqual(0);
    expect(num(dt, 'aopc.deepTaylor')).toBeGreaterThan(num(dt, 'aopc.random'));
    // the heatmaps point at the 0-3 digit: most relevance on its half
    expect(num(dt, 'relevanceOnTargetDigit.deepTaylor')).toBeGreaterThan(0.55);

    expect(num(s('segmentation'), 'meanIoU')).toBeGreaterThan(0.6);
    const ml = s('multilabel');
    expect(num(ml, 'subsetAccuracy.bceWithLogits')).toBeGreaterThan(num(ml, 'subsetAccuracy.softmax'));

    const bn = s('batchnorm');
    expect(bn.runningStatsChangedByForward).toBe(true);
    expect(bn.runningStatsChangedByOptimizerStep).toBe(false);
    expect(bn.evalUsesRunningStats).toBe(true);

    const lg = s('logits');
    expect(at(lg, 'breaksAt.crossEntropy')).toBeNull();
    expect(at(lg, 'breaksAt.nllLogOfSoftmax')).not.toBeNull();
    expect(at(lg, 'breaksAt.nllSoftmax')).not.toBeNull();

    const runs = s('vae-beta').runs as { model: string; beta: number | null; reconstructionLoss: number; kl: number | null }[];
    expect(runs.map((x) => [x.model, x.beta])).toEqual([
      ['autoencoder', null],
      ['vae', 0.5],
      ['vae', 1],
      ['vae', 5],
    ]);
    const vaes = runs.filter((x) => x.model === 'vae');
    expect(vaes[2]!.kl!).toBeLessThan(vaes[0]!.kl!);
    expect(vaes[2]!.reconstructionLoss).toBeGreaterThan(vaes[0]!.reconstructionLoss);
  }, 900_000);
});
