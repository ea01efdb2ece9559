import { fileURLToPath } from 'node:url';
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
    [['explain', 'missing.onnx'], "'missing.onnx' is not a readable .onnx file"],
    [['train', '--from', 'model.pt'], "'model.pt' is not a readable .onnx file"],
  ])('rejects %j with one line and a non-zero exit', async (args, message) => {
    const { calls, errors, error } = await run(args);
    expect(calls).toHaveLength(0);
    expect(error?.exitCode).not.toBe(0);
    const text = errors.join('');
    expect(text).toContain(message);
    expect(text.trim().split('\n')).toHaveLength(1);
  });

  describe('.onnx models', () => {
    const onnx = fileURLToPath(new URL('../../../packages/onnx/src/fixtures/convnet.onnx', import.meta.url));

    it('explain and evaluate take an .onnx file where they take a run directory; --images a source', async () => {
      const explained = await run(['explain', onnx, '--images', 'mnist', '--method', 'gradient']);
      expect(explained.error).toBeUndefined();
      expect(explained.calls[0]![1][0]).toMatchObject({ checkpoint: onnx, images: 'mnist', method: 'gradient' });
      const counted = await run(['explain', onnx, '--images', '3']);
      expect(counted.calls[0]![1][0]).toMatchObject({ images: 3 });
      const evaluated = await run(['evaluate', onnx, '--data', 'synthetic']);
      expect(evaluated.calls[0]![1][0]).toMatchObject({ checkpoint: onnx, data: { kind: 'synthetic' } });
    });

    it('train --from dispatches the file; a model name with it, or neither, is a usage error', async () => {
      const { calls } = await run(['train', '--from', onnx, '--epochs', '2']);
      expect(calls[0]![1][0]).toBe(onnx);
      expect(calls[0]![1][1]).toMatchObject({ from: true, epochs: 2 });
      await expect(run(['train', 'convnet', '--from', onnx])).rejects.toThrow(/not both/);
      await expect(run(['train'])).rejects.toThrow(/missing the model to train/);
    });
  });
});
