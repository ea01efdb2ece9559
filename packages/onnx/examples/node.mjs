// Import a PyTorch model exported to ONNX, run it on an NHWC batch, explain it with LRP and save its
// weights under PyTorch's state-dict names. Run from the repo after `pnpm build`:
//   node packages/onnx/examples/node.mjs [model.onnx]
// (defaults to the small ResNet that packages/onnx/scripts/make_fixtures.py exports).
import { readFileSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@logitlab/backends';
import { explain } from '@logitlab/explain';
import { moduleToSafetensors } from '@logitlab/layers';
import { importOnnx } from '@logitlab/onnx';
import { registerOnnxLrpLayers } from '@logitlab/onnx/explain';

await useBackend('cpu'); // or 'wasm' / 'native'
const file = process.argv[2] ?? new URL('../src/fixtures/resnet.onnx', import.meta.url);
const model = importOnnx(new Uint8Array(readFileSync(file)));
console.log(model.toString()); // PyTorch's module tree: conv1, bn1, layer1.0.conv1, ..., fc
console.log('report', model.report); // renamed parameters, constants, notes

const x = tf.randomUniform([2, ...model.inputShape]); // NHWC, e.g. [2, 32, 32, 3]
const logits = model.call(x);
console.log('logits', logits.shape);

registerOnnxLrpLayers(); // residual adds, global average pooling... for LRP
const { relevance, target, conservation } = explain(model, x, { composite: 'epsilonPlus' });
console.log('class', Array.from(target), 'sum R - logit', Array.from(conservation.delta));

// loads back into the PyTorch module with load_state_dict(..., strict=True)
writeFileSync('model.safetensors', moduleToSafetensors(model));
tf.dispose([x, logits, relevance]);
model.dispose();
