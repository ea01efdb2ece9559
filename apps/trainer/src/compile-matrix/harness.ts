// The compiled-vs-eager matrix of issue 20: one fit run per case, compiled and eager, compared after
// every step's loss and the final parameters (bitwise on cpu, 1e-6 relative on wasm and native).
import * as tf from '@tensorflow/tfjs-core';
import { backendDataIds } from '@logitlab/backends/compat';
import { Rng } from '@logitlab/core';
import { DataLoader } from '@logitlab/datasets';
import { manualSeed, type Module } from '@logitlab/layers';
import { type CheckpointStorage, checkpoint, fit, type FitOptions, type LrScheduler } from '@logitlab/train';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Observed, observeFit } from '../../../../scripts/test-utils/observe-fit';
import { relativeError } from '../../../../scripts/test-utils/relative-error';
import { enterBackend } from './enter-backend';

export type MatrixBackend = 'cpu' | 'wasm' | 'native';
const MATRIX_BACKENDS: readonly MatrixBackend[] = ['cpu', 'wasm', 'native'];

/** One training setup: a fresh seeded model, its data, and fit's options (the optimiser made per run). */
export interface MatrixCase<M extends Module = Module, O = tf.Tensor> {
  name: string;
  model: () => M;
  data: () => DataLoader;
  epochs: number;
  optimizer: () => tf.Optimizer;
  options?: Omit<Partial<FitOptions<M, O>>, 'optimizer' | 'data' | 'epochs' | 'compile'>;
  scheduler?: () => LrScheduler;
}

/** A case as the matrix runs it (model and output types erased): each case type-checks against its own model and output. */
export type AnyCase = MatrixCase<Module, unknown>;
export function matrixCase<M extends Module, O>(c: MatrixCase<M, O>): AnyCase {
  return c as unknown as AnyCase;
}

/** A fit of a case, with its replays, warnings and what it left once the model and optimiser were disposed. */
export interface MatrixRun extends Observed {
  losses: number[];
  params: Float32Array[];
  replays: number;
}

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** `count` seeded samples of `xShape` in [0, 1), with integer targets below `classes` of `yShape`. */
export function randomLoader(
  count: number,
  xShape: number[],
  yShape: number[],
  classes: number,
  batchSize: number,
  seed: number,
): DataLoader {
  const rng = new Rng(seed);
  const x = Float32Array.from({ length: count * size(xShape) }, () => rng.next());
  const y = Int32Array.from({ length: count * size(yShape) }, () => Math.floor(rng.next() * classes));
  return new DataLoader({ x, xShape, y, yShape }, { batchSize, shuffle: true, seed });
}

/** One run of `c`, compiled or eager, optionally checkpointing into `storage` or resuming from `resume`. */
export async function runCase<M extends Module, O>(
  c: MatrixCase<M, O>,
  compile: boolean,
  io: { epochs?: number; storage?: CheckpointStorage; resume?: CheckpointStorage } = {},
): Promise<MatrixRun> {
  return observeFit(async () => {
    manualSeed(11);
    const model = c.model();
    const optimizer = c.optimizer();
    const res = await fit(model, {
      ...(c.options as Partial<FitOptions<M, O>>),
      loss: c.options?.loss as FitOptions<M, O>['loss'],
      optimizer,
      data: c.data(),
      epochs: io.epochs ?? c.epochs,
      seed: 5,
      compile,
      ...(c.scheduler ? { scheduler: c.scheduler() } : {}),
      callbacks: io.storage ? [checkpoint({ storage: io.storage, keepLast: 2 })] : [],
      resume: io.resume,
    });
    const params = model.parameters().map((p) => Float32Array.from(p.dataSync()));
    model.dispose();
    optimizer.dispose();
    return { losses: res.losses, params, replays: res.compilation.replays };
  }, backendDataIds);
}

const bits = (v: ArrayLike<number>) => Array.from(new Uint32Array(Float32Array.from(v).buffer));

/** The compiled run is the eager one: bitwise on cpu, within 1e-6 relative where fusion may reorder sums. */
export function expectSameRun(backend: MatrixBackend, compiled: MatrixRun, eager: MatrixRun): void {
  expect(compiled.losses.length).toBe(eager.losses.length);
  if (backend === 'cpu') {
    expect(bits(compiled.losses)).toEqual(bits(eager.losses));
    expect(compiled.params.map(bits)).toEqual(eager.params.map(bits));
  } else {
    expect(relativeError(compiled.losses, eager.losses), 'losses').toBeLessThanOrEqual(1e-6);
    compiled.params.forEach((p, i) =>
      expect(relativeError(p, eager.params[i] as Float32Array), `parameter ${i}`).toBeLessThanOrEqual(1e-6),
    );
  }
}

/**
 * Compiled and eager runs of `c`: the same run, nothing leaked beyond what eager leaves (under vitest, tfjs's
 * MomentumOptimizer.dispose may still forget its -lr scalar: see backends' dist test), no fallback told, and the step replayed.
 */
async function expectCompiledMatchesEager(backend: MatrixBackend, c: AnyCase): Promise<void> {
  const eager = await runCase(c, false);
  const compiled = await runCase(c, true);
  expect(compiled.warnings).toEqual([]);
  expect(compiled.leaked).toEqual(eager.leaked);
  expect(compiled.replays).toBeGreaterThan(eager.losses.length / 2);
  expectSameRun(backend, compiled, eager);
}

/** One describe per backend, one test per case: compiled vs eager after the case's steps. */
export function describeMatrix(title: string, cases: ReadonlyArray<AnyCase>): void {
  for (const backend of MATRIX_BACKENDS) {
    describe(`${title} on ${backend}: compiled vs eager`, () => {
      let skip: string | undefined;
      beforeAll(async () => {
        skip = await enterBackend(backend, 'compiled-vs-eager matrix');
      });
      afterAll(async () => {
        await tf.setBackend('cpu');
      });

      for (const c of cases)
        it(c.name, async (ctx) => {
          if (skip) ctx.skip();
          await expectCompiledMatchesEager(backend, c);
        });
    });
  }
}
