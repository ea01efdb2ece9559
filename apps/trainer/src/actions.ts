import { isOnnxPath } from './options';
import type { Actions } from './program';

/** Commands load their modules on first use so `--help` and bad flags answer without starting tfjs. */
export const actions: Actions = {
  async train(model, opts) {
    if (opts.from) {
      const { trainOnnxCommand } = await import('./commands/onnx');
      await trainOnnxCommand(model, opts);
      return;
    }
    const { trainCommand } = await import('./commands/train');
    await trainCommand(model, opts);
  },
  async evaluate(opts) {
    if (isOnnxPath(opts.checkpoint)) {
      const { evaluateOnnxCommand } = await import('./commands/onnx');
      await evaluateOnnxCommand({ file: opts.checkpoint, backend: opts.backend, data: opts.data, download: opts.download });
      return;
    }
    const { evaluateCommand } = await import('./commands/train');
    await evaluateCommand(opts);
  },
  async explain(opts) {
    if (isOnnxPath(opts.checkpoint)) {
      const { explainOnnxCommand } = await import('./commands/onnx');
      await explainOnnxCommand({ ...opts, file: opts.checkpoint });
      return;
    }
    const { explainCommand } = await import('./commands/explain');
    await explainCommand(opts);
  },
  async explainDataset(opts) {
    const { explainDatasetCommand } = await import('./commands/explain-dataset');
    await explainDatasetCommand(opts);
  },
  async merge(opts) {
    const { mergeCommand } = await import('./commands/merge');
    await mergeCommand(opts);
  },
  async backends() {
    const { backendsCommand } = await import('./commands/backends');
    await backendsCommand();
  },
  async bench(opts) {
    const { benchCommand } = await import('./commands/bench');
    await benchCommand(opts);
  },
  async experiment(name, opts) {
    const { experimentCommand } = await import('./commands/experiment');
    await experimentCommand(name, opts);
  },
  async tour(opts) {
    const { tourCommand } = await import('./commands/experiment');
    await tourCommand(opts);
  },
};
