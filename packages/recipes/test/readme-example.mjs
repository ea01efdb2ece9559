// The README's example, verbatim (test/dist.test.mjs checks they agree and runs it as ESM and CJS).
import { useBackend } from '@logitlab/backends';
import { syntheticDigits } from '@logitlab/datasets';
import { manualSeed } from '@logitlab/layers';
import { fit } from '@logitlab/train';
import { fitOptionsOf, recipe } from '@logitlab/recipes';

await useBackend('cpu');
const r = recipe('bn-mlp');
const digits = syntheticDigits({ count: 256, seed: 1 });
manualSeed(1);
const model = r.create();
const optimizer = r.makeOptimizer();
const res = await fit(model, {
  ...fitOptionsOf(r),
  optimizer,
  data: r.loader(
    { images: digits.images, count: digits.count, targets: digits.labels },
    { batchSize: r.variants.quick.batchSize, seed: 1 },
  ),
  epochs: 1,
});
console.log(r.describe('quick'), '-> final loss', res.history.at(-1).loss);
