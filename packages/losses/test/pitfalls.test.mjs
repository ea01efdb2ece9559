// Plain-node check of the BUILT package: pitfall warnings are keyed by the user's call site even
// though the warning machinery lives in @logitlab/core's dist and the check in @logitlab/losses'.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@logitlab/backends';
import { crossEntropy, setPitfallWarningSink } from '@logitlab/losses';

test('crossEntropy on probabilities warns once per user call site (built dist)', async () => {
  await useBackend('cpu');
  const warnings = [];
  setPitfallWarningSink((message) => warnings.push(message));
  const probs = tf.tensor2d([
    [0.7, 0.2, 0.1],
    [0.1, 0.8, 0.1],
  ]);
  const target = tf.tensor1d([0, 1], 'int32');
  for (let i = 0; i < 3; i++) crossEntropy(probs, target).dispose(); // one call site, three calls
  crossEntropy(probs, target).dispose(); // a second call site
  setPitfallWarningSink(null);
  tf.dispose([probs, target]);
  assert.equal(warnings.length, 2);
  assert.match(warnings[0], /LOGITS/);
});
