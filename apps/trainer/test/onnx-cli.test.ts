// The BUILT CLI on PyTorch models exported to ONNX (packages/onnx/src/fixtures, written by
// packages/onnx/scripts/make_fixtures.py): explain with every kind of --images source, evaluate,
// fine-tune with train --from, and the one-line errors of a broken file and of a layer LRP has no rule
// for. Plain node processes, as a user runs them. Needs `pnpm build`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeIdx } from '@logitlab/datasets';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(appDir, 'dist/cli.js');
const built = fs.existsSync(cli);
if (!built) console.warn('[trainer onnx-cli] SKIPPED: apps/trainer/dist/cli.js is missing; run `pnpm build` first');
const fixtures = path.resolve(appDir, '../../packages/onnx/src/fixtures');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'logitlab-onnx-cli-'));
const env = { ...process.env, FORCE_COLOR: '0', LOGITLAB_DATA_DIR: path.join(tmp, 'no-data') };

/** A fixture model copied into the scratch folder (evaluate writes its numbers beside the model). */
function model(name: string): string {
  const file = path.join(tmp, `${name}.onnx`);
  if (!fs.existsSync(file)) fs.copyFileSync(path.join(fixtures, `${name}.onnx`), file);
  return file;
}

function logitlab(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args, '--backend', 'wasm'], { cwd: tmp, encoding: 'utf8', timeout: 600_000, env });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}

function oneLineError(r: { status: number | null; stderr: string }): string {
  expect(r.status).not.toBe(0);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  return lines[0]!;
}

describe.skipIf(!built)('logitlab on .onnx models (built, plain node)', () => {
  it('explain model.onnx --images synthetic writes the heatmaps and the numbers explain <run-dir> writes', () => {
    const out = path.join(tmp, 'explain-convnet');
    const r = logitlab(['explain', model('convnet'), '--images', 'synthetic', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(fs.existsSync(path.join(out, 'explain-lrp-epsilonPlus.png'))).toBe(true);
    const numbers = readJson(path.join(out, 'explain-lrp-epsilonPlus.json'));
    expect(numbers.images).toBe(8);
    expect(numbers.composite).toBe('epsilonPlus');
    expect(typeof numbers.relevanceMassAccuracy).toBe('number');
    expect((numbers.randomisation as { layer: string }[]).map((s) => s.layer)).toContain('fc1');
  });

  it('explains a 3-channel ResNet on a directory of PNGs (resized to its 32 x 32 input) and a convnet on an IDX file', () => {
    const pngs = path.join(tmp, 'drawings');
    fs.mkdirSync(pngs, { recursive: true });
    for (const [i, name] of ['a.png', 'b.png'].entries()) {
      const png = new PNG({ width: 20, height: 20 });
      for (let p = 0; p < 400; p++) png.data.set([(p * (i + 3)) % 256, (p * 7) % 256, 90, 255], p * 4);
      fs.writeFileSync(path.join(pngs, name), PNG.sync.write(png));
    }
    const out = path.join(tmp, 'explain-resnet');
    const r = logitlab(['explain', model('resnet'), '--images', pngs, '--method', 'gradient', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const numbers = readJson(path.join(out, 'explain-gradient.json'));
    expect(numbers.images).toBe(2);
    expect(numbers.relevanceMassAccuracy).toBeNull(); // no ground truth for drawings

    const idx = path.join(tmp, 'digits-idx3-ubyte');
    const data = Uint8Array.from({ length: 3 * 28 * 28 }, (_, k) => (k % 28 > 10 && k % 28 < 16 ? 255 : 0));
    fs.writeFileSync(idx, writeIdx({ data, shape: [3, 28, 28] }));
    const r2 = logitlab(['explain', model('convnet'), '--images', idx, '--method', 'gradCam', '--out', out]);
    expect(r2.status, r2.stderr).toBe(0);
    expect(readJson(path.join(out, 'explain-gradCam.json')).images).toBe(3);
  });

  it('evaluate model.onnx --data synthetic prints and writes the accuracy', () => {
    const r = logitlab(['evaluate', model('convnet'), '--data', 'synthetic']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/accuracy 0\.\d+ \(\d+ \/ 10000\)/);
    expect(readJson(`${model('convnet')}.evaluation.json`).count).toBe(10000);
  });

  it('train --from model.onnx fine-tunes to a higher accuracy and writes PyTorch-named safetensors', () => {
    const out = path.join(tmp, 'finetune');
    const r = logitlab([
      'train',
      '--from',
      model('convnet'),
      '--data',
      'synthetic',
      '--quick',
      '--epochs',
      '3',
      '--lr',
      '0.003',
      '--out',
      out,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const { accuracy } = readJson(path.join(out, 'summary.json')) as { accuracy: { before: number; after: number } };
    expect(accuracy.after).toBeGreaterThan(accuracy.before + 0.3);
    const bytes = fs.readFileSync(path.join(out, 'model.safetensors'));
    const header = JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString('utf8')) as Record<string, unknown>;
    const keys = Object.keys(header).filter((k) => k !== '__metadata__');
    // oxlint-disable-next-line unicorn/no-array-sort -- sorts a fresh filtered copy; toSorted is ES2023
    expect(keys.sort()).toEqual([
      'conv1.bias',
      'conv1.weight',
      'conv2.bias',
      'conv2.weight',
      'fc1.bias',
      'fc1.weight',
      'fc2.bias',
      'fc2.weight',
    ]);
  });

  it('a broken file and a layer without an LRP rule end in one line naming what is wrong', () => {
    const broken = path.join(tmp, 'broken.onnx');
    fs.writeFileSync(broken, fs.readFileSync(path.join(fixtures, 'convnet.onnx')).subarray(0, 500));
    expect(oneLineError(logitlab(['explain', broken, '--images', '2']))).toMatch(
      /broken\.onnx: .*(not a valid ONNX protobuf|no graph|node|initializer)/,
    );
    expect(oneLineError(logitlab(['explain', model('ops'), '--images', '2']))).toMatch(
      /ExplainModelError: LRP does not know layer 'sub' \(SubConstant\)/,
    );
    expect(oneLineError(logitlab(['explain', path.join(tmp, 'missing.onnx')]))).toMatch(/'.*missing\.onnx' is not a readable \.onnx file/);
  });
});
