// The README's browser example; bundle it with any bundler (vite, esbuild) into a page with a 28 x 28 canvas.
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@logitlab/backends';
import { explain } from '@logitlab/explain';
import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@logitlab/layers';

await useBackend('auto'); // webgpu > webgl > wasm > cpu
const model = new Sequential(new Conv2d(1, 8, 3), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(8 * 13 * 13, 10));
const canvas = document.querySelector('canvas')!; // a 28 x 28 drawing
const x = tf.tidy(() => tf.mean(tf.browser.fromPixels(canvas), -1).div(255).reshape([1, 28, 28, 1]));
const { relevance, target, conservation } = explain(model, x, { composite: 'epsilonPlus' });
const heat = await relevance.data(); // draw red for > 0, blue for < 0
console.log(`class ${target[0]}: sum R - logit = ${conservation.delta[0]}`, heat.length);
tf.dispose([x, relevance]);
