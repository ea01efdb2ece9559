import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from './errors';
import {
  parseBackend,
  parseData,
  parseLearningRate,
  parseNonNegativeInt,
  parsePositiveInt,
  parseRunDir,
  resolveCommonOptions,
} from './options';

describe('flag parsers', () => {
  it('accepts positive integers and names the flag when rejecting', () => {
    expect(parsePositiveInt('3', '--epochs')).toBe(3);
    for (const bad of ['0', '-1', '1.5', 'abc', '', '1e3']) {
      expect(() => parsePositiveInt(bad, '--epochs')).toThrow(UsageError);
    }
    expect(() => parsePositiveInt('x', '--epochs')).toThrow("--epochs: expected a positive integer, got 'x'");
    expect(parseNonNegativeInt('0', '--seed')).toBe(0);
    expect(() => parseNonNegativeInt('-3', '--seed')).toThrow('--seed');
  });

  it('bounds the learning rate', () => {
    expect(parseLearningRate('0.01')).toBe(0.01);
    expect(parseLearningRate('1e-3')).toBe(0.001);
    for (const bad of ['0', '-0.1', 'NaN', 'Infinity', '11', ' ']) expect(() => parseLearningRate(bad)).toThrow(UsageError);
  });

  it('knows the backend names', () => {
    expect(parseBackend('wasm')).toBe('wasm');
    expect(() => parseBackend('gpu')).toThrow("unknown backend 'gpu'");
  });

  it('parses data sources and checks directories up front', () => {
    expect(parseData('synthetic')).toEqual({ kind: 'synthetic' });
    expect(parseData('kmnist')).toEqual({ kind: 'mnist', variant: 'kmnist' });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logitlab-data-'));
    expect(parseData(dir)).toEqual({ kind: 'dir', dir });
    expect(() => parseData(path.join(dir, 'missing'))).toThrow('nor a readable directory');
    const file = path.join(dir, 'f.txt');
    fs.writeFileSync(file, 'x');
    expect(() => parseData(file)).toThrow('is a file');
  });

  it('requires a run directory with config.json for --resume', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logitlab-run-'));
    expect(() => parseRunDir(dir)).toThrow('not a run directory');
    fs.writeFileSync(path.join(dir, 'config.json'), '{}');
    expect(parseRunDir(dir)).toBe(dir);
  });

  it('fills defaults and refuses --resume with a different --out', () => {
    const o = resolveCommonOptions({});
    expect(o).toMatchObject({ backend: 'auto', data: { kind: 'default' }, download: false, quick: false });
    expect(o.epochs).toBeUndefined();
    expect(() => resolveCommonOptions({ resume: '/a/b', out: '/c' })).toThrow('--resume');
    expect(resolveCommonOptions({ resume: '/a/b', out: '/a/b' }).resume).toBe('/a/b');
  });
});
