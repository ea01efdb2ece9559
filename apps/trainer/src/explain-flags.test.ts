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

  it.each([[['--method', 'deconvnet']], [['--composite', 'zennit']], [['--target', '-1']], [['--images', '0']]])(
    'rejects %j',
    async (flags) => {
      const { error } = await parse(['explain', dir, ...flags]);
      expect(error).toBeInstanceOf(CommanderError);
    },
  );
});
