import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetPitfallWarnings, setPitfallWarningSink, setPitfallWarnings, vaeLoss } from './index';

const warnings: string[] = [];
beforeEach(() => {
  warnings.length = 0;
  resetPitfallWarnings();
  setPitfallWarnings(true);
  setPitfallWarningSink((m) => warnings.push(m));
});
afterEach(() => setPitfallWarningSink(null));

/** One training step's vaeLoss of a VAE on MNIST-sized data whose encoder heads are `muScale` from the prior. */
function step(muScale: number, beta = 1): void {
  tf.tidy(() => {
    const x = tf.randomUniform([8, 784], -1, 1, 'float32', 1);
    const reconstruction = tf.randomUniform([8, 784], -0.1, 0.1, 'float32', 2);
    const mu = tf.randomNormal([8, 30], 0, muScale, 'float32', 3);
    const logVar = tf.randomNormal([8, 30], 0, muScale, 'float32', 4);
    vaeLoss({ reconstruction, input: x, mu, logVar }, { beta });
  });
}

describe('vaeLoss balance warning', () => {
  it('stays quiet at step 0 of a correctly built VAE, whose KL starts near 0 (encoder near the prior)', () => {
    for (let i = 0; i < 10; i++) step(0.01);
    expect(warnings).toEqual([]);
  });

  it('still warns when beta * KL drowns the reconstruction', () => {
    step(3, 1000);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/unbalanced/);
  });

  it('warns when beta is so small the KL term is switched off in effect', () => {
    step(0.5, 1e-4);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/beta 0\.0001/);
  });
});
