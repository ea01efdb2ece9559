// Plain-node test of the BUILT package (run `pnpm --filter @logitlab/backends build` first):
// no vitest, no bundler. Each case runs in a fresh `node` process, once importing the ESM build and
// once requiring the CJS build, so a format that fails to register gradients cannot hide behind the
// other. Run with: node --test packages/backends/test/dist.test.mjs
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';

const pkgDir = path.resolve(import.meta.dirname, '..');

// The body runs inside an async function with `tf` and `backends` in scope; it prints one JSON line.
const body = (backend) => `
  const info = await backends.useBackend('${backend}');
  const out = { info, grads: {} };
  const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 1);
  const w = tf.randomNormal([3, 3, 3, 4], 0, 0.3, 'float32', 2);
  const m = tf.randomNormal([4, 5], 0, 1, 'float32', 3);
  const cases = {
    conv2d: () => tf.grad((f) => tf.conv2d(x, f, 1, 'same').square().sum())(w),
    matMul: () => tf.grad((a) => tf.matMul(a, m).sum())(tf.ones([3, 4])),
    relu: () => tf.grad((a) => tf.relu(a).sum())(tf.tensor1d([-1, 2])),
    logSoftmax: () => tf.grad((a) => tf.logSoftmax(a).mul(tf.tensor2d([[1, 0, 0]])).sum())(tf.tensor2d([[1, 2, 3]])),
    maxPool: () => tf.grad((a) => tf.maxPool(a, 2, 2, 'valid').sum())(x),
    batchNorm: () => tf.grad((a) => tf.batchNorm(a, tf.scalar(0.5), tf.scalar(2), tf.scalar(0.1), tf.scalar(3)).sum())(tf.ones([4])),
  };
  for (const [name, f] of Object.entries(cases)) {
    try {
      const g = f();
      // async reads: webgpu in Node has no sync ones
      out.grads[name] = { sum: Math.abs((await g.sum().data())[0]), finite: (await g.isFinite().all().data())[0] === 1 };
    } catch (e) { out.grads[name] = { error: String(e.message) }; }
  }
  // 3 SGD steps of a conv -> pool -> dense classifier must lower the loss.
  const xs = tf.randomUniform([8, 12, 12, 1], 0, 1, 'float32', 4);
  const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3);
  const k = tf.variable(tf.randomNormal([3, 3, 1, 4], 0, 0.3, 'float32', 5));
  const d = tf.variable(tf.randomNormal([100, 3], 0, 0.1, 'float32', 6));
  const opt = tf.train.sgd(0.5);
  const before = tf.memory().numTensors;
  out.losses = [];
  for (let i = 0; i < 3; i++) {
    const loss = opt.minimize(() => {
      const h = tf.relu(tf.maxPool(tf.conv2d(xs, k, 1, 'valid'), 2, 2, 'valid')).reshape([8, 100]);
      return tf.losses.softmaxCrossEntropy(ys, tf.matMul(h, d));
    }, true);
    out.losses.push((await loss.data())[0]);
    loss.dispose();
  }
  out.leaked = tf.memory().numTensors - before - 1; // the optimizer keeps its iteration counter
  out.missing = await backends.useBackend('tensorflow').then(() => null, (e) => ({ name: e.name, packageName: e.packageName }));
  console.log(JSON.stringify(out));
`;

function runIn(format, backend = 'cpu') {
  const BODY = body(backend);
  const script =
    format === 'esm'
      ? `import * as tf from '@tensorflow/tfjs-core'; import * as backends from '@logitlab/backends'; await (async () => {${BODY}})();`
      : `const tf = require('@tensorflow/tfjs-core'); const backends = require('@logitlab/backends'); (async () => {${BODY}})().catch((e) => { console.error(e); process.exit(1); });`;
  const args = format === 'esm' ? ['--input-type=module', '-e', script] : ['--input-type=commonjs', '-e', script];
  const stdout = execFileSync(process.execPath, args, { cwd: pkgDir, encoding: 'utf8' });
  return JSON.parse(stdout.trim().split('\n').pop());
}

// native only where its addon is built (CI builds it: LOGITLAB_REQUIRE_NATIVE=1 makes a missing one fail)
const nativeBuilt = (() => {
  try {
    execFileSync(
      process.execPath,
      ['--input-type=module', '-e', "import { loadNative } from '@logitlab/native'; process.exit(loadNative().ok ? 0 : 1)"],
      { cwd: pkgDir },
    );
    return true;
  } catch {
    return false;
  }
})();
// webgpu only where Dawn starts (CI installs the GL libraries: LOGITLAB_REQUIRE_WEBGPU=1 makes a missing one fail)
const webgpuWorks = (() => {
  try {
    execFileSync(
      process.execPath,
      ['--input-type=module', '-e', "import { useBackend } from '@logitlab/backends'; await useBackend('webgpu');"],
      {
        cwd: pkgDir,
        stdio: 'ignore',
      },
    );
    return true;
  } catch {
    return false;
  }
})();
const backendsToTest = [
  'cpu',
  ...(nativeBuilt || process.env.LOGITLAB_REQUIRE_NATIVE === '1' ? ['native'] : []),
  ...(webgpuWorks || process.env.LOGITLAB_REQUIRE_WEBGPU === '1' ? ['webgpu'] : []),
];
if (!backendsToTest.includes('native')) console.warn('SKIPPED native dist tests: @logitlab/native is not built here');
if (!backendsToTest.includes('webgpu')) console.warn('SKIPPED webgpu dist tests: the webgpu package or the GL libraries are missing here');

for (const [format, backend] of ['esm', 'cjs'].flatMap((f) => backendsToTest.map((b) => [f, b]))) {
  test(`${format} build: ${backend} backend, every gradient registered, training lowers the loss`, () => {
    const out = runIn(format, backend);
    assert.equal(out.info.name, backend);
    assert.equal(out.info.platform, 'node');
    for (const [name, g] of Object.entries(out.grads)) {
      assert.equal(g.error, undefined, `gradient of ${name} failed: ${g.error}`);
      assert.ok(g.finite && g.sum > 0, `gradient of ${name} is zero or not finite`);
    }
    assert.equal(Object.keys(out.grads).length, 6);
    assert.ok(out.losses[2] < out.losses[0], `loss did not fall: ${out.losses.join(' -> ')}`);
    assert.ok(out.leaked <= 0, `training leaked ${out.leaked} tensors`);
    assert.deepEqual(out.missing, { name: 'BackendNotInstalledError', packageName: '@tensorflow/tfjs-node' });
  });
}

// The main entry registers the native plan lowering and the `compat` entry records steps: two bundles, one registry
// (a registry per bundle left every compiled native step on the kernel loop outside the sources).
if (backendsToTest.includes('native'))
  test('esm build: a step recorded through compat on native runs as one addon call', () => {
    const script = `
      import * as tf from '@tensorflow/tfjs-core';
      import { useBackend } from '@logitlab/backends';
      import { traceStep } from '@logitlab/backends/compat';
      await useBackend('native');
      const w = tf.variable(tf.tensor2d([0.3, -0.2, 0.1, 0.4], [2, 2]));
      const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
      const traced = traceStep(() => tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(tf.matMul(x, w))), [w]);
        w.assign(tf.sub(w, tf.mul(grads[w.name], tf.scalar(0.000987654321))));
        return [value];
      }), { inputs: [x], scalars: [{ name: 'lr', traced: 0.000987654321 }], rollback: true });
      console.log(JSON.stringify(traced.plan ? traced.plan.stats : { reason: traced.reason }));
    `;
    const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: pkgDir, encoding: 'utf8' });
    const stats = JSON.parse(stdout.trim().split('\n').pop());
    assert.equal(
      stats.executor,
      'backend',
      `the plan ran on the kernel loop: ${stats.executorFallback ?? stats.reason ?? 'no lowering registered'}`,
    );
  });

// tfjs 4.22's MomentumOptimizer.dispose forgets the -lr scalar SGDOptimizer keeps; importing the package fixes it for
// the tfjs-core a user's `tf.train.momentum` comes from (under vitest a second tfjs-core copy loads, so it is checked here)
for (const format of ['esm', 'cjs'])
  test(`${format} build: a disposed momentum optimiser leaves no tensor`, () => {
    const BODY = `
      await backends.useBackend('cpu');
      const w = tf.variable(tf.tensor1d([1, 2, 3]));
      const before = tf.memory().numTensors;
      const o = tf.train.momentum(0.1, 0.9, true);
      for (let i = 0; i < 2; i++) o.minimize(() => tf.sum(tf.square(w)), false, [w]);
      o.setLearningRate(0.05);
      o.dispose();
      console.log(JSON.stringify({ leaked: tf.memory().numTensors - before }));`;
    const script =
      format === 'esm'
        ? `import * as tf from '@tensorflow/tfjs-core'; import * as backends from '@logitlab/backends'; ${BODY}`
        : `const tf = require('@tensorflow/tfjs-core'); const backends = require('@logitlab/backends'); (async () => {${BODY}})();`;
    const stdout = execFileSync(process.execPath, [`--input-type=${format === 'esm' ? 'module' : 'commonjs'}`, '-e', script], {
      cwd: pkgDir,
      encoding: 'utf8',
    });
    assert.deepEqual(JSON.parse(stdout.trim().split('\n').pop()), { leaked: 0 });
  });
