import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@logitlab/backends';
async function grad(name, make) {
  await useBackend(name);
  const x = make();
  const g = tf.grad((x) => tf.maxPool(x, 2, 2, 'valid').mul(tf.linspace(1, 2, 4).reshape([1,2,2,1])).sum())(x);
  return Array.from(await g.data());
}
const cases = {
  ties: () => tf.tensor4d([1,1,2,2, 1,1,2,2, 3,3,0,0, 3,3,0,5], [1,4,4,1]),
  distinct: () => tf.tensor4d([1,2,3,4, 5,6,7,8, 9,10,11,12, 13,14,15,16], [1,4,4,1]),
  nan: () => tf.tensor4d([NaN,2,3,4, 5,6,7,8, 9,10,11,12, 13,14,15,16], [1,4,4,1]),
  neginf: () => tf.tensor4d([-Infinity,-Infinity,3,4, -Infinity,-Infinity,7,8, 9,10,11,12, 13,14,15,Infinity], [1,4,4,1]),
};
for (const [k, make] of Object.entries(cases)) {
  const c = await grad('cpu', make); const w = await grad('webgpu', make);
  console.log(k, JSON.stringify(c) === JSON.stringify(w) ? 'same' : `cpu ${c}\n      webgpu ${w}`);
}
