import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { OnnxImportError } from './errors';
import { importOnnx, supportedOperators } from './import-onnx';
import { encodeModel, fixtureBytes, fixtureModel, floatTensor, int64Tensor, model, valueInfo } from './test-support';

const linear = (extra: Record<string, unknown>[] = []) => [
  { name: '/fc/Gemm', opType: 'Gemm', input: ['x', 'fc.weight', 'fc.bias'], output: ['h'], attribute: [{ name: 'transB', type: 2, i: 1 }] },
  ...extra,
  { name: '/relu/Relu', opType: 'Relu', input: [extra.length ? 'z' : 'h'], output: ['y'] },
];
const weights = [floatTensor('fc.weight', [3, 4]), floatTensor('fc.bias', [3])];

/** The import throws an OnnxImportError whose message matches every pattern, and leaves no tensor behind. */
function rejects(bytes: Uint8Array | unknown, ...patterns: RegExp[]): OnnxImportError {
  const before = tf.memory().numTensors;
  let caught: unknown;
  try {
    importOnnx(bytes as Uint8Array).dispose();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(OnnxImportError);
  for (const p of patterns) expect((caught as Error).message).toMatch(p);
  expect(tf.memory().numTensors).toBe(before);
  return caught as OnnxImportError;
}

/** A one-Conv model with the given attributes (1 -> 2 channels, 3 x 3 kernel, 8 x 8 input). */
const convModel = (attribute: Record<string, unknown>[]) =>
  model(
    [{ name: '/c/Conv', opType: 'Conv', input: ['x', 'c.weight'], output: ['y'], attribute }],
    [floatTensor('c.weight', [2, 1, 3, 3])],
    {
      input: valueInfo('x', ['N', 1, 8, 8]),
      output: valueInfo('y', ['N', 2, 6, 6]),
    },
  );

describe('importOnnx on bad input', () => {
  it('the small valid model these cases break imports and runs', () => {
    const m = importOnnx(model(linear(), weights));
    const y = m.call(tf.ones([2, 4]));
    expect(y.shape).toEqual([2, 3]);
    // oxlint-disable-next-line unicorn/no-array-sort -- sorts a fresh copy; toSorted is ES2023
    expect(Object.keys(m.stateDict()).sort()).toEqual(['fc.bias', 'fc.weight']);
    tf.dispose(y);
    m.dispose();
  });

  it('rejects what is not an ONNX file', () => {
    rejects(new Uint8Array(0), /empty/);
    rejects('model.onnx', /Uint8Array, got string/);
    rejects(new TextEncoder().encode('this is not a protobuf at all, just text'), /not a valid ONNX protobuf|no graph/);
    rejects(encodeModel({ irVersion: 8, opsetImport: [{ domain: '', version: 13 }] }), /no graph/);
  });

  it('rejects a truncated file at every cut, with a typed error', () => {
    const bytes = fixtureBytes('convnet');
    for (const cut of [1, 10, 100, 1000, 5000, bytes.length - 100, bytes.length - 1]) rejects(bytes.subarray(0, cut));
  });

  it('rejects a tensor that claims 10^12 elements before allocating anything', () => {
    const start = performance.now();
    const huge = { name: 'fc.weight', dims: [1_000_000, 1_000_000], dataType: 1, rawData: [0, 0, 128, 63] };
    const e = rejects(model(linear(), [huge, weights[1]!]), /initializer 'fc.weight'/, /claims 1000000000000 elements/);
    expect(e.node).toBe("initializer 'fc.weight'");
    expect(performance.now() - start).toBeLessThan(5_000);
  });

  it('rejects an initializer whose byte length disagrees with its shape', () => {
    const short = { name: 'fc.weight', dims: [3, 4], dataType: 1, rawData: Array(44).fill(0) };
    rejects(model(linear(), [short, weights[1]!]), /initializer 'fc.weight'/, /44 bytes of raw_data/, /need 48/);
    const few = { name: 'fc.bias', dims: [3], dataType: 1, floatData: [1, 2] };
    rejects(model(linear(), [weights[0]!, few]), /initializer 'fc.bias'/, /holds 2 values/);
  });

  it('rejects external data, naming the tensor and the file it points to', () => {
    const external = {
      name: 'fc.weight',
      dims: [3, 4],
      dataType: 1,
      dataLocation: 1,
      externalData: [{ key: 'location', value: 'weights.bin' }],
    };
    rejects(model(linear(), [external, weights[1]!]), /initializer 'fc.weight'/, /external file/, /weights\.bin/);
  });

  it('rejects a node that reads a name nothing produces', () => {
    const nodes = linear();
    (nodes[1] as { input: string[] }).input = ['missing_tensor'];
    rejects(model(nodes, weights), /node '\/relu\/Relu' \(Relu\)/, /input 'missing_tensor'/);
  });

  it('rejects a cycle, naming a node on it', () => {
    const cycle = [
      { name: 'a', opType: 'Add', input: ['h', 'w'], output: ['z'] },
      { name: 'b', opType: 'Relu', input: ['z'], output: ['w'] },
    ];
    rejects(model(linear(cycle), weights), /cycle/, /node '(a|b)'/);
  });

  it('rejects two producers of one name', () => {
    const twice = [{ name: 'again', opType: 'Relu', input: ['h'], output: ['h'] }];
    rejects(model(linear(twice), weights), /node 'again'/, /output 'h' is already produced/);
  });

  it("rejects an unsupported operator, listing the operator, the node's name and the supported set", () => {
    const loop = [{ name: '/block/Erf', opType: 'Erf', input: ['h'], output: ['z'] }];
    const e = rejects(model(linear(loop), weights), /node '\/block\/Erf' \(Erf\)/, /operator 'Erf' is not supported/);
    for (const op of supportedOperators()) expect(e.message).toContain(op);
  });

  it('rejects an unsupported operator at the end of a real model without leaking its layers', () => {
    const resnet = fixtureModel('resnet') as { graph: { node: Record<string, unknown>[]; output: { name: string }[] } };
    const last = resnet.graph.output[0]!.name;
    resnet.graph.node.push({ name: '/head/Erf', opType: 'Erf', input: [last], output: ['erf_out'] });
    resnet.graph.output[0]!.name = 'erf_out';
    rejects(encodeModel(resnet), /node '\/head\/Erf' \(Erf\)/);
  });

  it('rejects unsupported attributes and shapes with the node named', () => {
    expect(() => importOnnx(convModel([])).dispose()).not.toThrow();
    rejects(convModel([{ name: 'group', type: 2, i: 2 }]), /node '\/c\/Conv'/, /group = 2 on 1 channels/);
    rejects(convModel([{ name: 'auto_pad', type: 3, s: [...new TextEncoder().encode('SAME_UPPER')] }]), /auto_pad = SAME_UPPER/);
    const softmax = model(
      [{ name: 's', opType: 'Softmax', input: ['x'], output: ['y'], attribute: [{ name: 'axis', type: 2, i: 7 }] }],
      [],
      {
        output: valueInfo('y', ['N', 4]),
      },
    );
    rejects(softmax, /node 's' \(Softmax\)/, /axis 7 is out of range/);
  });

  it('rejects a folded constant that would be huge (ConstantOfShape of 10^12)', () => {
    const nodes = [
      { name: 'big', opType: 'ConstantOfShape', input: ['shape'], output: ['c'] },
      { name: 'add', opType: 'Add', input: ['x', 'c'], output: ['y'] },
    ];
    rejects(model(nodes, [int64Tensor('shape', [1_000_000, 1_000_000])], { output: valueInfo('y', ['N', 4]) }), /node 'big'/, /at most/);
  });

  it('rejects opsets outside 11-17 and inputs that are not one float tensor', () => {
    rejects(model(linear(), weights, { opset: 9 }), /opset 9 is not supported/);
    rejects(
      model(linear(), weights, { input: { name: 'x', type: { tensorType: { elemType: 7, shape: { dim: [{ dimValue: 1 }] } } } } }),
      /element type 7/,
    );
    rejects(model(linear(), weights, { input: valueInfo('x', ['N', 'features']) }), /symbolic \('features'\)/, /inputShape/);
  });
});
