import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { type Actions, buildProgram } from './program';

function recorder() {
  const calls: [string, unknown[]][] = [];
  const record =
    (name: string) =>
    async (...args: unknown[]) => {
      calls.push([name, args]);
    };
  const actions: Actions = {
    train: record('train'),
    evaluate: record('evaluate'),
    explain: record('explain'),
    backends: record('backends'),
    bench: record('bench'),
    experiment: record('experiment'),
    tour: record('tour'),
    explainDataset: record('explainDataset'),
    merge: record('merge'),
  };
  return { actions, calls };
}

async function run(args: string[]) {
  const { actions, calls } = recorder();
  const errors: string[] = [];
  const program = buildProgram(actions, { exitOverride: true, writeErr: (s) => errors.push(s), writeOut: () => {} });
  let error: CommanderError | undefined;
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    error = e;
  }
  return { calls, errors, error };
}

describe('command line', () => {
  it('dispatches experiment with parsed, defaulted options', async () => {
    const { calls, error } = await run(['experiment', 'heads', '--epochs', '2', '--lr', '0.1', '--data', 'synthetic', '--quick']);
    expect(error).toBeUndefined();
    expect(calls).toHaveLength(1);
    const [name, args] = calls[0]!;
    expect(name).toBe('experiment');
    expect(args[0]).toBe('heads');
    expect(args[1]).toMatchObject({ epochs: 2, lr: 0.1, quick: true, backend: 'auto', data: { kind: 'synthetic' } });
  });

  it('runs the tour in quick mode unless --full', async () => {
    expect((await run(['tour'])).calls[0]![1][0]).toMatchObject({ quick: true });
    expect((await run(['tour', '--full', '--only', 'logits,heads'])).calls[0]![1][0]).toMatchObject({
      quick: false,
      only: ['logits', 'heads'],
    });
  });

  it('parses bench flags with defaults', async () => {
    const { calls } = await run(['bench', '--repeats', '1', '--workloads', 'vae,bn-mlp', '--no-torch']);
    expect(calls[0]![1][0]).toMatchObject({
      repeats: 1,
      warmup: 3,
      warmupSec: 1.5,
      steps: 20,
      torch: false,
      threads: 2,
      workloads: ['vae', 'bn-mlp'],
    });
  });

  it.each([
    [['experiment', 'nope'], "argument 'name'"],
    [['tuor'], "unknown command 'tuor'"],
    [['train', 'convnet', '--epochs', 'zero'], 'expected a positive integer'],
    [['train', 'convnet', '--backend', 'gpu'], "unknown backend 'gpu'"],
    [['bench', '--workloads', 'resnet'], "unknown workload 'resnet'"],
    [['experiment', 'heads', '--frobnicate'], "unknown option '--frobnicate'"],
  ])('rejects %j with one line and a non-zero exit', async (args, message) => {
    const { calls, errors, error } = await run(args);
    expect(calls).toHaveLength(0);
    expect(error?.exitCode).not.toBe(0);
    const text = errors.join('');
    expect(text).toContain(message);
    expect(text.trim().split('\n')).toHaveLength(1);
  });
});
