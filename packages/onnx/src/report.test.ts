import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { importOnnx } from './import-onnx';
import { floatTensor, model, valueInfo } from './test-support';

// Where an exporter renamed or folded a parameter, the import says which initializer became which
// state-dict key (the issue: "say so in the result's report rather than inventing names").
describe('GraphModule.report', () => {
  it('is empty of renames when every initializer is <layer>.<param>', () => {
    const nodes = [
      {
        name: '/fc/Gemm',
        opType: 'Gemm',
        input: ['x', 'fc.weight', 'fc.bias'],
        output: ['y'],
        attribute: [{ name: 'transB', type: 2, i: 1 }],
      },
    ];
    const m = importOnnx(model(nodes, [floatTensor('fc.weight', [3, 4]), floatTensor('fc.bias', [3])]));
    expect(m.report.renamed).toEqual([]);
    const dict = m.stateDict();
    expect(Object.keys(dict)).toEqual(['fc.weight', 'fc.bias']);
    tf.dispose(Object.values(dict));
    m.dispose();
  });

  it('lists folded and renamed parameters with the key each one got', () => {
    const nodes = [
      { name: '/features/Conv', opType: 'Conv', input: ['x', 'onnx::Conv_7', 'onnx::Conv_8'], output: ['h'] },
      { name: '/Flatten', opType: 'Flatten', input: ['h'], output: ['f'] },
      { name: '/head/MatMul', opType: 'MatMul', input: ['f', 'proj'], output: ['y'] },
    ];
    const weights = [floatTensor('onnx::Conv_7', [2, 1, 3, 3]), floatTensor('onnx::Conv_8', [2]), floatTensor('proj', [8, 3])];
    const m = importOnnx(model(nodes, weights, { input: valueInfo('x', ['N', 1, 4, 4]), output: valueInfo('y', ['N', 3]) }));
    expect(m.report.renamed).toEqual([
      { initializer: 'onnx::Conv_7', key: 'features.weight' },
      { initializer: 'onnx::Conv_8', key: 'features.bias' },
      { initializer: 'proj (transposed)', key: 'head.weight' },
    ]);
    const dict = m.stateDict();
    expect(Object.keys(dict)).toEqual(['features.weight', 'features.bias', 'head.weight']);
    // the values are the initializers' (the MatMul matrix as PyTorch's [out, in])
    expect(dict['head.weight']!.shape).toEqual([3, 8]);
    const y = m.call(tf.ones([2, 4, 4, 1]));
    expect(y.shape).toEqual([2, 3]);
    tf.dispose([y, ...Object.values(dict)]);
    m.dispose();
  });
});
