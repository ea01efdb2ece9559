// Plain-node test of the BUILT package (pnpm --filter @logitlab/onnx... build first): no vitest, no
// bundler. The ESM and the CJS build each import the committed ResNet fixture, compare its logits with
// PyTorch's, and explain it with LRP through the `@logitlab/onnx/explain` subpath, which must register
// the very classes the main entry builds the graph from (a bundled copy would leave 'Sum' unknown).
// Run with: node --test packages/onnx/test/dist.test.mjs
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';

const pkgDir = path.resolve(import.meta.dirname, '..');

const BODY = `
  await backends.useBackend('cpu');
  const dir = path.join(process.cwd(), 'src', 'fixtures');
  const f = JSON.parse(fs.readFileSync(path.join(dir, 'fixtures.json'), 'utf8')).resnet;
  const model = onnx.importOnnx(new Uint8Array(fs.readFileSync(path.join(dir, 'resnet.onnx'))));
  const x = tf.tensor(f.input.data, f.input.shape);
  const before = tf.memory().numTensors;
  const y = model.call(x);
  const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(y, tf.tensor(f.output.data, f.output.shape)))).dataSync()[0]);
  onnxExplain.registerOnnxLrpLayers();
  const e = explain.explain(model, x, { composite: 'epsilonPlus', target: f.lrp.target });
  const ref = tf.tensor(f.lrp.relevance.data, f.lrp.relevance.shape);
  const lrpDiff = tf.tidy(() => tf.max(tf.abs(tf.sub(e.relevance, ref))).div(tf.max(tf.abs(ref))).dataSync()[0]);
  tf.dispose([y, e.relevance, ref]);
  const leaked = tf.memory().numTensors - before;
  let typed = false;
  try { onnx.importOnnx(new Uint8Array([1, 2, 3])); } catch (err) { typed = err instanceof onnx.OnnxImportError; }
  console.log(JSON.stringify({ diff, lrpDiff, leaked, typed, keys: Object.keys(model.stateDict()).length }));
`;

function run(kind) {
  const names = `tf = '@tensorflow/tfjs-core', backends = '@logitlab/backends', onnx = '@logitlab/onnx', onnxExplain = '@logitlab/onnx/explain', explain = '@logitlab/explain', fs = 'node:fs', path = 'node:path'`;
  const pairs = names.split(', ').map((p) => p.split(' = '));
  const script =
    kind === 'esm'
      ? `${pairs.map(([n, m]) => `import * as ${n} from ${m};`).join(' ')}\n${BODY}`
      : `${pairs.map(([n, m]) => `const ${n} = require(${m});`).join(' ')}\n(async () => {${BODY}})();`;
  const out = execFileSync(process.execPath, [`--input-type=${kind === 'esm' ? 'module' : 'commonjs'}`, '-e', script], {
    cwd: pkgDir,
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1));
}

for (const kind of ['esm', 'cjs']) {
  test(`built ${kind}: PyTorch's ResNet logits, LRP through the explain subpath, typed errors, no leaks`, () => {
    const r = run(kind);
    assert.ok(r.diff < 1e-4, `logits differ from PyTorch's by ${r.diff}`);
    assert.ok(r.lrpDiff < 1e-4, `LRP differs from the float64 reference by ${r.lrpDiff} of its scale`);
    assert.equal(r.leaked, 0);
    assert.equal(r.typed, true);
    assert.equal(r.keys, 38);
  });
}

// The README's Node example is this file as written (it needs a model file, so the README marks it as
// not self-contained and the packed-tarball run skips it); it runs here, against the built package.
test('examples/node.mjs (the README example) runs on the committed ResNet and writes safetensors', () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'logitlab-onnx-example-'));
  try {
    const out = execFileSync(process.execPath, [path.join(pkgDir, 'examples', 'node.mjs')], { cwd, encoding: 'utf8' });
    assert.match(out, /logits \[ 2, \d+ \]/);
    assert.match(out, /class \[/);
    assert.ok(fs.statSync(path.join(cwd, 'model.safetensors')).size > 0);
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
});
