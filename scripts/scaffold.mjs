// One-off scaffold of package manifests (kept for reference; manifests are edited by hand after).
import fs from 'node:fs';
const TF = '4.22.0';
const libs = {
  backends: { desc: 'Pick, load and make trainable any TensorFlow.js backend (cpu, wasm with threads and the missing gradient kernels, webgl, webgpu, tfjs-node).', deps: {}, sideEffects: true },
  datasets: { desc: 'MNIST-family IDX loaders with verified downloads, a seeded synthetic digit generator, Montavon two-digit images and a DataLoader.', deps: { fflate: '^0.8.2' } },
  layers: { desc: 'PyTorch-faithful Module, layers, BatchNorm and safetensors state dicts on TensorFlow.js.', deps: {} },
  losses: { desc: 'PyTorch-faithful losses on logits (crossEntropy, nllLoss, BCE-with-logits, KL, VAE) with pitfall guards.', deps: {} },
  metrics: { desc: 'Classification, multi-label, segmentation, explanation (AOPC) and latent-space metrics.', deps: { '@saehrimnir/druidjs': '^0.9.0' } },
  models: { desc: 'The logitlab reproduction models: MNIST convnet heads, Montavon sum-pool explainer with Deep Taylor, VAE, autoencoder, small U-Net.', deps: { '@logitlab/layers': 'workspace:^', '@logitlab/losses': 'workspace:^' } },
  train: { desc: 'A seeded, leak-free training loop with callbacks, checkpoints and resume for @logitlab/layers modules.', deps: { '@logitlab/layers': 'workspace:^', '@logitlab/losses': 'workspace:^', '@logitlab/metrics': 'workspace:^' } },
};
for (const [name, spec] of Object.entries(libs)) {
  const dir = `packages/${name}`;
  fs.mkdirSync(`${dir}/src`, { recursive: true });
  const pkg = {
    name: `@logitlab/${name}`,
    version: '0.1.0',
    description: spec.desc,
    license: 'MIT',
    type: 'module',
    sideEffects: spec.sideEffects ?? false,
    exports: {
      '.': {
        import: { types: './dist/index.d.ts', default: './dist/index.js' },
        require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
      },
      './package.json': './package.json',
    },
    main: './dist/index.cjs',
    module: './dist/index.js',
    types: './dist/index.d.cts',
    files: ['dist', 'README.md'],
    engines: { node: '>=20' },
    scripts: { build: 'tsup' },
    dependencies: spec.deps,
    peerDependencies: { '@tensorflow/tfjs-core': TF },
    devDependencies: { '@tensorflow/tfjs-core': TF, '@tensorflow/tfjs-backend-cpu': TF },
    publishConfig: { access: 'public' },
    repository: { type: 'git', url: 'git+https://example.invalid/logitlab.git', directory: dir },
  };
  if (!fs.existsSync(`${dir}/package.json`)) fs.writeFileSync(`${dir}/package.json`, JSON.stringify(pkg, null, 2) + '\n');
  if (!fs.existsSync(`${dir}/tsup.config.ts`)) fs.writeFileSync(`${dir}/tsup.config.ts`, `import { defineConfig } from 'tsup';\nimport { libraryConfig } from '../../scripts/tsup-library';\n\nexport default defineConfig(libraryConfig());\n`);
  if (!fs.existsSync(`${dir}/tsconfig.json`)) fs.writeFileSync(`${dir}/tsconfig.json`, JSON.stringify({ extends: '../../tsconfig.base.json', include: ['src'] }, null, 2) + '\n');
  if (!fs.existsSync(`${dir}/src/index.ts`)) fs.writeFileSync(`${dir}/src/index.ts`, `export const PACKAGE = '@logitlab/${name}';\n`);
}
