import { describe, expect, it } from 'vitest';
import { resumeCommand } from './interrupt';
import { closest, unknownName } from './suggest';
import { MODEL_NAMES } from './cli-models';
import { experimentNames } from './experiments/index';

describe('did you mean', () => {
  it('suggests the name a typo was meant to be, and nothing for a different word', () => {
    expect(closest('haeds', experimentNames())).toBe('heads');
    expect(closest('deeptaylor', experimentNames())).toBe('deep-taylor');
    expect(closest('vae', experimentNames())).toBe('vae-beta');
    expect(closest('convnett', MODEL_NAMES)).toBe('convnet');
    expect(closest('resnet', MODEL_NAMES)).toBeUndefined();
    expect(unknownName('model', 'resnet', MODEL_NAMES)).toBe(`unknown model 'resnet', expected one of ${MODEL_NAMES.join(', ')}`);
  });
});

describe('the --resume command printed on Ctrl-C', () => {
  it('repeats the arguments with --resume <dir> in place of --out', () => {
    expect(resumeCommand(['experiment', 'heads', '--quick', '--out', 'runs/a'], '/w/runs/a', '/w')).toBe(
      'logitlab experiment heads --quick --resume runs/a',
    );
    expect(resumeCommand(['tour', '--out=/x y', '--epochs', '1'], '/x y', '/w')).toBe(`logitlab tour --epochs 1 --resume '/x y'`);
  });
});
