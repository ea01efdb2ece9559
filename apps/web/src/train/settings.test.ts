import { LogitlabError } from '@logitlab/core';
import { describe, expect, it } from 'vitest';
import {
  describeSettings,
  parseBatchSize,
  parseHidden,
  parseLr,
  parseOptimizer,
  readTrainSettings,
  sameArchitecture,
  TrainSettingError,
  trainSettingParams,
  type SettingDefaults,
} from './settings';

const mlp: SettingDefaults = { lr: 0.01, batchSize: 64, optimizer: 'momentum', hidden: [256, 128], maxHiddenLayers: 4 };
const convnet: SettingDefaults = { lr: 0.01, batchSize: 64, optimizer: 'momentum', hidden: null, maxHiddenLayers: 0 };

describe('Train settings in the URL', () => {
  it('round-trips through URL parameters', () => {
    const s = { lr: 0.003, batchSize: 32, optimizer: 'adam' as const, hidden: [64, 32, 16] };
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(trainSettingParams(s))) if (v !== null) params.set(k, v);
    expect(params.toString()).toBe('lr=0.003&batch=32&optimizer=adam&hidden=64%2C32%2C16');
    expect(readTrainSettings(new URLSearchParams(params.toString()), mlp)).toEqual({ settings: s, problems: [] });
    const tiny = { ...s, lr: 1e-5, hidden: null };
    const p2 = new URLSearchParams(trainSettingParams(tiny) as Record<string, string>);
    expect(readTrainSettings(p2, convnet).settings).toEqual(tiny);
  });

  it("uses the recipe's values where the link says nothing", () => {
    expect(readTrainSettings(new URLSearchParams(), mlp)).toEqual({
      settings: { lr: 0.01, batchSize: 64, optimizer: 'momentum', hidden: [256, 128] },
      problems: [],
    });
  });

  it("replaces each hostile value by the recipe's and says so in one line each", () => {
    const hostile = new URLSearchParams({
      lr: '1e9',
      batch: '64.5',
      optimizer: '<img src=x onerror=alert(1)>',
      hidden: '0,99999,abc',
    });
    const { settings, problems } = readTrainSettings(hostile, mlp);
    expect(settings).toEqual({ lr: 0.01, batchSize: 64, optimizer: 'momentum', hidden: [256, 128] });
    expect(problems).toEqual([
      'learning rate "1e9" is not a number from 0.00001 to 1; using 0.01',
      'batch size "64.5" is not a whole number from 1 to 512; using 64',
      'optimizer "<img src=x onerror=alert(1)>" is not one of sgd, momentum, adam; using momentum',
      'hidden sizes "0,99999,abc" is not 1 to 4 whole numbers from 1 to 1024, comma-separated; using 256,128',
    ]);
    for (const p of problems) expect(p).not.toContain('\n');
  });

  it('ignores hidden sizes for a model without changeable widths, and says so', () => {
    const { settings, problems } = readTrainSettings(new URLSearchParams({ hidden: '32' }), convnet);
    expect(settings.hidden).toBeNull();
    expect(problems).toEqual(['hidden sizes apply to the MLP models only (bn-mlp, vae-mlp); ignored']);
  });

  it('refuses each kind of bad value with a typed error naming it', () => {
    const bad: [() => unknown, string][] = [
      [() => parseLr(''), 'learning rate "" is not a number from 0.00001 to 1'],
      [() => parseLr('NaN'), 'learning rate "NaN" is not'],
      [() => parseLr('-0.1'), 'learning rate "-0.1" is not'],
      [() => parseLr('0'), 'learning rate "0" is not'],
      [() => parseBatchSize('0'), 'batch size "0" is not a whole number from 1 to 512'],
      [() => parseBatchSize('513'), 'batch size "513"'],
      [() => parseBatchSize('1e2'), 'batch size "1e2"'],
      [() => parseOptimizer('Adam'), 'optimizer "Adam" is not one of sgd, momentum, adam'],
      [() => parseHidden('', 4), 'hidden sizes "" is not'],
      [() => parseHidden('-5', 4), 'hidden sizes "-5" is not'],
      [() => parseHidden('8,8', 1), 'hidden sizes "8,8" is not 1 to 1 whole number from 1 to 1024'],
      [() => parseLr('x'.repeat(500)), `learning rate "${'x'.repeat(40)}…" is not`],
    ];
    for (const [fn, message] of bad) {
      let caught: unknown;
      try {
        fn();
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(TrainSettingError);
      expect(caught).toBeInstanceOf(LogitlabError);
      expect((caught as Error).message).toContain(message);
    }
    expect([parseLr(' 0.5 '), parseBatchSize('512'), parseHidden('16 8', 4)]).toEqual([0.5, 512, [16, 8]]);
  });

  it("names a run's settings, and tells when its weights no longer fit the page's model", () => {
    const s = { lr: 0.001, batchSize: 64, optimizer: 'adam' as const, hidden: [32] };
    expect(describeSettings(s)).toBe('adam lr 0.001, batch 64, hidden 32');
    expect(describeSettings({ ...s, hidden: null })).toBe('adam lr 0.001, batch 64');
    expect(sameArchitecture(s, mlp)).toBe(false);
    expect(sameArchitecture({ ...s, hidden: [256, 128] }, mlp)).toBe(true);
    expect(sameArchitecture({ ...s, hidden: null }, convnet)).toBe(true);
  });
});
