import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { crossEntropy } from '@logitlab/losses';
import { checkpoint, CheckpointError, fit, listCheckpoints, metricLogger } from '../index';
import { loader, mlp, weights } from '../test-helpers';
import { fileStorage, jsonlFileSink, progressBar } from './index';

const ce = (logits: tf.Tensor, y: tf.Tensor) => crossEntropy(logits, y);
const dir = mkdtempSync(join(tmpdir(), 'logitlab-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fileStorage', () => {
  it('writes atomically (no temp files left), lists, reads, removes', async () => {
    const s = fileStorage(join(dir, 'a'));
    expect(await s.list()).toEqual([]);
    // a temp file left by a killed writer is not listed and is cleaned up by the next write
    await s.write('x.safetensors', new Uint8Array([1]));
    const dead = spawnSync(process.execPath, ['-e', '0']).pid as number; // an exited child's pid
    writeFileSync(join(dir, 'a', `.x.safetensors.${dead}.${Date.now()}.0a1b2c3d.tmp`), 'partial');
    await s.write('x.safetensors', new Uint8Array([1, 2, 3]));
    expect(readdirSync(join(dir, 'a'))).toEqual(['x.safetensors']);
    expect(Array.from(await s.read('x.safetensors'))).toEqual([1, 2, 3]);
    await s.remove('x.safetensors');
    expect(await s.list()).toEqual([]);
    await expect(s.read('x.safetensors')).rejects.toThrow(CheckpointError);
    await expect(s.write('../escape', new Uint8Array(1))).rejects.toThrow(/plain file name/);
  });

  it('checkpoints a run to disk and resumes from it', async () => {
    const storage = fileStorage(join(dir, 'run'));
    const a = mlp(1);
    await fit(a, {
      loss: ce,
      optimizer: tf.train.sgd(0.1),
      data: loader(32, 1, 16),
      epochs: 3,
      seed: 1,
      callbacks: [checkpoint({ storage, keepLast: 1 })],
    });
    expect(await listCheckpoints(storage)).toEqual(['checkpoint-epoch-00003.safetensors']);
    const b = mlp(2);
    const res = await fit(b, { loss: ce, optimizer: tf.train.sgd(0.1), data: loader(32, 1, 16), epochs: 3, resume: storage });
    expect(res.history).toEqual([]); // already done: nothing to run
    expect(weights(b)).toEqual(weights(a));
    a.dispose();
    b.dispose();
  });
});

describe('jsonlFileSink', () => {
  it('appends metric lines to a file', async () => {
    const file = join(dir, 'logs', 'metrics.jsonl');
    const model = mlp(1);
    await fit(model, {
      loss: ce,
      optimizer: tf.train.sgd(0.1),
      data: loader(32, 1, 16),
      epochs: 1,
      callbacks: [metricLogger(jsonlFileSink(file))],
    });
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string });
    expect(lines.map((l) => l.type)).toEqual(['step', 'step', 'epoch']);
    model.dispose();
  });
});

function capture(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), {
    isTTY,
    columns: 100,
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
  });
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString()));
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

describe('progressBar', () => {
  it('prints plain lines when not a TTY', async () => {
    const out = capture(false);
    const model = mlp(1);
    await fit(model, {
      loss: ce,
      optimizer: tf.train.sgd(0.1),
      data: loader(32, 1, 16),
      epochs: 2,
      callbacks: [progressBar({ stream: out.stream, intervalSeconds: 0, label: '[mlp]' })],
    });
    expect(out.text()).toMatch(/^\[mlp\] epoch 1\/2 batch 1\/2 .*samples\/s eta \d+s$/m);
    expect(out.text()).toMatch(/^\[mlp\] epoch 2\/2 loss /m);
    expect(out.text()).not.toContain('\u001b['); // no escape codes in logs
    model.dispose();
  });

  it('draws a cli-progress bar on a TTY and ends each epoch with a summary line', async () => {
    const out = capture(true);
    const model = mlp(1);
    await fit(model, {
      loss: ce,
      optimizer: tf.train.sgd(0.1),
      data: loader(32, 1, 16),
      epochs: 2,
      callbacks: [progressBar({ stream: out.stream })],
    });
    expect(out.text()).toMatch(/epoch 1\/2 .*\d\/2 \| loss/);
    expect(out.text()).toMatch(/epoch 2\/2 loss \S+ seconds/);
    model.dispose();
  });
});
