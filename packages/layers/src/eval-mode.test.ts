import { afterEach, describe, expect, it } from 'vitest';
import {
  BatchNorm1d,
  Dropout,
  Linear,
  ModeError,
  ReLU,
  Sequential,
  assertEvalMode,
  modulesInTrainMode,
  resetPitfallWarnings,
  setPitfallWarningSink,
  setPitfallWarnings,
  warnIfTraining,
} from './index';

afterEach(() => {
  setPitfallWarningSink(null);
  setPitfallWarnings(true);
  resetPitfallWarnings();
});

describe('evaluation-mode guard', () => {
  it('warns once per call site while BatchNorm or Dropout are training, and not after eval()', () => {
    const warnings: string[] = [];
    setPitfallWarningSink((m) => warnings.push(m));
    const model = new Sequential(new Linear(4, 4), new BatchNorm1d(4), new ReLU(), new Dropout(0.5), new Linear(4, 2));
    expect(modulesInTrainMode(model)).toEqual(['1 (BatchNorm1d)', '3 (Dropout)']);
    for (let i = 0; i < 3; i++) expect(warnIfTraining(model)).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/1 \(BatchNorm1d\), 3 \(Dropout\).*model\.eval\(\)/);
    expect(() => assertEvalMode(model)).toThrow(ModeError);
    model.eval();
    expect(warnIfTraining(model)).toBe(true);
    expect(() => assertEvalMode(model)).not.toThrow();
    expect(warnings).toHaveLength(1);
    model.dispose();
  });

  it('is silent for models without BatchNorm or Dropout and when switched off', () => {
    const warnings: string[] = [];
    setPitfallWarningSink((m) => warnings.push(m));
    const plain = new Sequential(new Linear(2, 2), new ReLU());
    expect(warnIfTraining(plain)).toBe(true);
    setPitfallWarnings(false);
    const bn = new BatchNorm1d(2);
    expect(warnIfTraining(bn)).toBe(false);
    expect(warnings).toHaveLength(0);
    plain.dispose();
    bn.dispose();
  });
});
