/// <reference lib="webworker" />
/**
 * The training loop, off the page's thread: @logitlab/train's `fit` on a backend chosen here (the
 * page's own backend keeps serving inference). The trained weights go back as safetensors bytes
 * and touch nothing the other tabs use; the page decides whether to adopt them.
 * One worker per run, so every run starts with fresh pitfall-warning state and frees all memory.
 */
import * as tf from '@tensorflow/tfjs-core';
import { cacheOnHost, useBackend, type BackendName } from '@logitlab/backends';
import { replayable, replayableLike } from '@logitlab/core';
import type { DataLoader } from '@logitlab/datasets';
import { moduleToSafetensors, resetPitfallWarnings, setPitfallWarnings, setPitfallWarningSink, type Module } from '@logitlab/layers';
import { fit, PauseController, type Batch, type BatchSource } from '@logitlab/train';
import { heldOutDigits, loaderFor } from '../models/data';
import { RECIPES, type Recipe } from '../models/recipes';
import type { FromWorker, HeldOutPoint, LossPoint, ToWorker } from './protocol';
import type { TrainSettings } from './settings';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: FromWorker, transfer: Transferable[] = []): void => scope.postMessage(m, transfer);

// fit's own stop and pause: abort ends the run at the next step boundary (stopReason 'aborted'),
// pause holds it there without a busy loop, so the worker keeps reading messages.
const stop = new AbortController();
const pauser = new PauseController();
let wantBackend: string | null = null;

scope.addEventListener('message', (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  if (m.type === 'start') void run(m.id, m.steps, m.backend, m.evalEvery, m.settings);
  else if (m.type === 'pause') setPaused(true);
  else if (m.type === 'resume') setPaused(false);
  else if (m.type === 'stop') stop.abort();
  else if (m.type === 'backend') wantBackend = m.name;
});

function setPaused(p: boolean): void {
  if (pauser.paused === p) return;
  if (p) pauser.pause();
  else pauser.resume();
  post({ type: 'paused', paused: p });
}

// A zero-delay macrotask: lets queued messages (pause, stop) in without setTimeout's 4 ms clamp.
const channel = new MessageChannel();
const yieldTask = (): Promise<void> =>
  new Promise((resolve) => {
    channel.port1.addEventListener('message', () => resolve(), { once: true });
    channel.port1.start();
    channel.port2.postMessage(null, []);
  });

/** Starts `name`, or the nearest that works in a worker (wasm, then cpu), and says which. */
async function startBackend(name: string): Promise<void> {
  const tried: string[] = [];
  for (const candidate of [name, 'wasm', 'cpu']) {
    if (tried.includes(candidate)) continue;
    try {
      await cacheOnHost();
      const info = await useBackend(candidate as BackendName);
      // The pitfall checks read a few values synchronously, which webgpu cannot do reliably.
      setPitfallWarnings(info.name !== 'webgpu');
      post({ type: 'backend', name: info.name, note: tried.length ? `${tried.join(', ')} failed in the worker` : '' });
      return;
    } catch {
      tried.push(candidate);
    }
  }
  throw new Error(`no backend started in the training worker (tried ${tried.join(', ')})`);
}

/** The loader, cut off after `total` batches in all or at a stop request. */
function limited(loader: DataLoader, total: number): BatchSource {
  let given = 0;
  return {
    length: loader.length,
    setEpoch: (e: number) => loader.setEpoch(e),
    *[Symbol.iterator](): Iterator<Batch> {
      for (const b of loader) {
        if (given >= total || stop.signal.aborted) {
          tf.dispose([b.x, b.y]);
          return;
        }
        given++;
        yield b;
      }
    },
  };
}

function measure(recipe: Recipe, model: Module, step: number): HeldOutPoint {
  const wasTraining = model.training;
  model.eval();
  let loss = 0;
  let correct = 0;
  let n = 0;
  for (const { x, y } of loaderFor(recipe.data, 128, { train: false, set: heldOutDigits() })) {
    const size = x.shape[0] ?? 0;
    const [l, a] = tf.tidy(() => [recipe.loss(model, x, y).dataSync()[0] ?? NaN, recipe.accuracy?.(model, x, y).dataSync()[0] ?? NaN]);
    tf.dispose([x, y]);
    loss += (l ?? NaN) * size;
    correct += (a ?? NaN) * size;
    n += size;
  }
  model.train(wasTraining);
  return { step, loss: loss / n, accuracy: recipe.accuracy ? correct / n : null };
}

async function run(
  id: keyof typeof RECIPES,
  steps: number,
  backend: string,
  evalEvery: number,
  settings: TrainSettings | null,
): Promise<void> {
  try {
    await startBackend(backend);
    resetPitfallWarnings();
    setPitfallWarningSink((message) => post({ type: 'warning', message }));
    const recipe = RECIPES[id];
    const model = recipe.create(settings?.hidden);
    const loader = loaderFor(recipe.data, settings?.batchSize ?? recipe.batchSize);
    const optimizer = recipe.makeOptimizer(settings?.lr, settings?.optimizer);
    let lastHeldOut: HeldOutPoint | null = null;
    const heldOut = (step: number): void => {
      lastHeldOut = measure(recipe, model, step);
      post({ type: 'heldOut', point: lastHeldOut });
    };
    heldOut(0);
    let lastYield = performance.now();
    const result = await fit(model, {
      data: limited(loader, steps),
      epochs: Math.ceil(steps / loader.length),
      optimizer,
      // The recipe's loss takes (model, x, y): forward hands the batch through unchanged.
      forward: replayable((_m: Module, b: Batch) => b),
      loss: replayableLike(recipe.loss, (b: Batch) => recipe.loss(model, b.x, b.y)),
      afterStep: recipe.afterStep ? (m) => recipe.afterStep?.(m) : undefined,
      // One read per step keeps the page's curves live; here, off the page's thread, it costs little.
      checkEvery: 1,
      seed: 1,
      signal: stop.signal,
      pause: pauser,
      callbacks: [
        {
          onLosses: (_ctx, records) => {
            const time = performance.now();
            post({ type: 'losses', points: records.map((r): LossPoint => ({ step: r.step + 1, loss: r.loss, time })) });
          },
          onBatchEnd: async (ctx) => {
            post({ type: 'replay', report: { steps: ctx.step, ...ctx.compilation } });
            if (evalEvery > 0 && ctx.step % evalEvery === 0 && ctx.step < steps) heldOut(ctx.step);
            if (performance.now() - lastYield > 25) {
              await yieldTask();
              lastYield = performance.now();
            }
            if (wantBackend) {
              const name = wantBackend;
              wantBackend = null;
              await startBackend(name);
            }
          },
        },
      ],
    });
    optimizer.dispose();
    if (!lastHeldOut || (lastHeldOut as HeldOutPoint).step !== result.steps) heldOut(result.steps);
    model.eval();
    const bytes = moduleToSafetensors(model, { recipe: id, steps: String(result.steps) });
    model.dispose();
    const weights = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    post({ type: 'done', weights, steps: result.steps, stopped: stop.signal.aborted, heldOut: lastHeldOut }, [weights]);
  } catch (e) {
    post({ type: 'error', message: (e as Error).message });
  }
}
