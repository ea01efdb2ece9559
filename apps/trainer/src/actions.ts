import type { Actions } from './program';

/** Commands load their modules on first use so `--help` and bad flags answer without starting tfjs. */
export const actions: Actions = {
  async train(model, opts) {
    const { trainCommand } = await import('./commands/train');
    await trainCommand(model, opts);
  },
  async evaluate(opts) {
    const { evaluateCommand } = await import('./commands/train');
    await evaluateCommand(opts);
  },
  async explain(opts) {
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
