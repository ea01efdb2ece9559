import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { loadSafetensors, moduleToSafetensors } from '@logitlab/layers';
import { afterAll, describe, expect, it } from 'vitest';
import { type FixtureTensor, toTensor } from '../../../scripts/test-utils/fixture-utils';
import { importOnnx } from './import-onnx';

// packages/onnx/scripts/make_fixtures.py: PyTorch 1.13 modules, exported with training=PRESERVE and
// do_constant_folding=False; inputs, outputs and gradients are stored channels-last (logitlab's layout).
interface ModelFixture {
  opset: number;
  input: FixtureTensor;
  output: FixtureTensor;
  chosen: number[];
  inputGradient: FixtureTensor;
  stateDictKeys: string[];
}
const dir = new URL('./fixtures/', import.meta.url);
const fixtures = JSON.parse(readFileSync(new URL('fixtures.json', dir), 'utf8')) as Record<string, ModelFixture>;
const bytes = (name: string) => new Uint8Array(readFileSync(new URL(`${name}.onnx`, dir)));

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

/** The chosen output element summed over the batch, with the class axis last for per-pixel outputs. */
function chosenOutput(out: tf.Tensor, chosen: number[]): tf.Tensor {
  if (chosen.length === 1) return tf.sum(tf.gather(out, chosen[0]!, out.rank - 1));
  const [c, h, w] = chosen as [number, number, number];
  return tf.sum(tf.slice(out, [0, h, w, c], [-1, 1, 1, 1]));
}

describe.each(Object.keys(fixtures))('importOnnx(%s.onnx)', (name) => {
  const f = fixtures[name]!;

  it('leaves no tensor behind once the model is disposed', () => {
    const before = tf.memory().numTensors;
    importOnnx(bytes(name)).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  const model = importOnnx(bytes(name));
  afterAll(() => model.dispose());

  it("gives PyTorch's outputs within 1e-4 on NHWC input", () => {
    const before = tf.memory().numTensors;
    const x = toTensor(f.input);
    const y = model.call(x);
    expect(y.shape).toEqual(f.output.shape);
    const want = toTensor(f.output);
    expect(maxDiff(y, want)).toBeLessThan(1e-4);
    tf.dispose([x, y, want]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("gives PyTorch's input gradient of one output within 1e-4", () => {
    const before = tf.memory().numTensors;
    const x = toTensor(f.input);
    const g = tf.grad((t: tf.Tensor) => chosenOutput(model.call(t), f.chosen))(x);
    const want = toTensor(f.inputGradient);
    const scale = tf.tidy(() => tf.max(tf.abs(want)).dataSync()[0]!);
    expect(scale).toBeGreaterThan(0);
    expect(maxDiff(g, want)).toBeLessThan(1e-4);
    tf.dispose([x, g, want]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("has PyTorch's state-dict keys, and exports PyTorch's values", () => {
    const before = tf.memory().numTensors;
    const dict = model.stateDict();
    // oxlint-disable-next-line unicorn/no-array-sort -- sorts a fresh copy; toSorted is ES2023
    expect(Object.keys(dict).sort()).toEqual([...f.stateDictKeys].sort());
    // the committed safetensors are PyTorch's state_dict(): every value equal after the export round trip
    const ours = loadSafetensors(moduleToSafetensors(model)).tensors;
    const theirs = loadSafetensors(new Uint8Array(readFileSync(new URL(`${name}.safetensors`, dir)))).tensors;
    // oxlint-disable-next-line unicorn/no-array-sort -- sorts a fresh copy; toSorted is ES2023
    expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
    for (const key of Object.keys(theirs)) {
      if (key.endsWith('num_batches_tracked')) continue; // not in ONNX files: 0 here (the report says so)
      expect(ours[key]!.shape, key).toEqual(theirs[key]!.shape);
      expect(maxDiff(ours[key]!, theirs[key]!), key).toBe(0);
    }
    tf.dispose([...Object.values(dict), ...Object.values(ours), ...Object.values(theirs)]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
