import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CommanderError } from 'commander';
import { compositeNames, methodNames, registerMethod } from '@logitlab/explain';
import { describe, expect, it } from 'vitest';
import { type Actions, buildProgram } from './program';

const noop = async (): Promise<void> => {};

async function parse(args: string[]): Promise<{ opts?: unknown; error?: CommanderError }> {
  let opts: unknown;
  const actions: Actions = {
    train: noop,
    evaluate: noop,
    backends: noop,
    bench: noop,
    experiment: noop,
    tour: noop,
    explain: async (o) => void (opts = o),
    explainDataset: async (o) => void (opts = o),
    merge: async (o) => void (opts = o),
  };
  const program = buildProgram(actions, { exitOverride: true, writeErr: () => {}, writeOut: () => {} });
  try {
    await program.parseAsync(args, { from: 'user' });
    return { opts };
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    return { error: e };
  }
}

describe('logitlab explain flags', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'explain-flags-'));
  fs.writeFileSync(path.join(dir, 'config.json'), '{}');

  it('offers the methods and composites registered in @logitlab/explain, a method registered later included', async () => {
    for (const method of methodNames()) expect((await parse(['explain', dir, '--method', method])).opts).toMatchObject({ method });
    for (const composite of compositeNames)
      expect((await parse(['explain', dir, '--composite', composite])).opts).toMatchObject({ composite });
    expect((await parse(['explain', dir, '--method', 'fromOutside'])).error).toBeInstanceOf(CommanderError);
    registerMethod({
      name: 'fromOutside',
      label: 'from outside',
      summary: 'registered by this test',
      options: [],
      conserves: 'none',
      attribute: () => {
        throw new Error('not run by a flag test');
      },
    });
    expect((await parse(['explain', dir, '--method', 'fromOutside'])).opts).toMatchObject({ method: 'fromOutside' });
  });

  it('parses method, composite, target and image count with defaults', async () => {
    expect((await parse(['explain', dir])).opts).toMatchObject({ checkpoint: dir, method: 'lrp', images: 8 });
    const { opts } = await parse([
      'explain',
      dir,
      '--method',
      'integratedGradients',
      '--target',
      '3',
      '--images',
      '2',
      '--composite',
      'deepTaylor',
    ]);
    expect(opts).toMatchObject({ method: 'integratedGradients', target: 3, images: 2, composite: 'deepTaylor' });
  });

  it('caps --images at the test split, naming the cap (1e9 was a raw "Invalid typed array length")', async () => {
    const { error } = await parse(['explain', dir, '--images', '1000000000']);
    expect(error).toBeInstanceOf(CommanderError);
    expect(error?.message).toMatch(
      /'--images <n\|source>' argument '1000000000' is invalid. expected at most 10000 \(the test split it draws from\)/,
    );
  });

  it.each([[['--method', 'deconvnet']], [['--composite', 'zennit']], [['--target', '-1']], [['--images', '0']], [['--images', '10001']]])(
    'rejects %j',
    async (flags) => {
      const { error } = await parse(['explain', dir, ...flags]);
      expect(error).toBeInstanceOf(CommanderError);
    },
  );
});

describe('logitlab explain --dataset and merge flags', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'explain-dataset-flags-'));
  fs.writeFileSync(path.join(dir, 'config.json'), '{}');
  const out = path.join(dir, 'out');

  it('parses the dataset run with defaults (test split, all metrics, batches of 32, stroke masks)', async () => {
    const { opts } = await parse(['explain', dir, '--dataset', '--methods', 'lrp:epsilonPlus, gradient', '--out', out]);
    expect(opts).toEqual({
      checkpoint: dir,
      backend: 'auto',
      split: 'test',
      methods: ['lrp:epsilonPlus', 'gradient'],
      metrics: ['all'],
      out,
      batchSize: 32,
      masks: 'strokes',
    });
    const full = await parse([
      'explain',
      dir,
      '--dataset',
      '--methods',
      'gradient',
      '--metrics',
      'faithfulness,entropy',
      '--limit',
      '100',
      '--shard',
      '1/4',
      '--data',
      'synthetic',
      '--out',
      out,
    ]);
    expect(full.opts).toMatchObject({
      metrics: ['faithfulness', 'entropy'],
      limit: 100,
      shard: { index: 1, count: 4 },
      data: { kind: 'synthetic' },
    });
    expect((await parse(['merge', out, dir, '--out', out])).opts).toEqual({ dirs: [out, dir], out, figures: true });
  });

  it.each([[['--shard', '4/4']], [['--shard', '0/0']], [['--limit', '0']], [['--split', 'val']], [['--masks', 'boxes']]])(
    'rejects %j',
    async (flags) => {
      const { error } = await parse(['explain', dir, '--dataset', '--methods', 'gradient', '--out', out, ...flags]);
      expect(error).toBeInstanceOf(CommanderError);
    },
  );

  it('needs --out and --methods with --dataset, and dataset flags need --dataset', async () => {
    await expect(parse(['explain', dir, '--dataset', '--methods', 'gradient'])).rejects.toThrow(/needs --out/);
    await expect(parse(['explain', dir, '--dataset', '--out', out])).rejects.toThrow(/needs --methods/);
    await expect(parse(['explain', dir, '--limit', '10'])).rejects.toThrow(/--limit needs --dataset/);
    expect((await parse(['merge', out])).error).toBeInstanceOf(CommanderError); // --out is required
  });
});
