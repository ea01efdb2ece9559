// Every vitest file starts on the cpu backend with all gradients registered (what @logitlab/backends
// does for apps); tests that want another backend call useBackend themselves.
import '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
// tfjs-core's Node entry also leaves out the chained ops (x.reshape(), x.sum()); tfjs's union package
// and @logitlab/backends add them, so tests see what apps see.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
// what @logitlab/backends does for users' scripts: no "install tfjs-node" banner in every test file
import { quietCpuBanner } from '../src/quiet-cpu';
import { beforeAll } from 'vitest';

quietCpuBanner();

beforeAll(async () => {
  if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
  await tf.ready();
});
