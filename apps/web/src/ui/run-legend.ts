import { h } from './dom';

// One colour per run (not per model), so two runs of one model with other settings stay apart. All
// at least 3:1 against white; after these, colours repeat with the run number beside them.
const RUN_COLORS = ['#3056d3', '#b54708', '#1a7f4b', '#b42318', '#6b3fa0', '#0e7490', '#9d174d', '#4b5563'] as const;

export const runColor = (run: number): string => RUN_COLORS[(run - 1) % RUN_COLORS.length] ?? RUN_COLORS[0];

/**
 * The runs on the charts as a text list: colour, run number, model and settings. Chart.js's own
 * legend is drawn in the canvas, which neither a screen reader nor a test can read.
 */
export function runLegend(): { element: HTMLOListElement; add(run: number, text: string): void; clear(): void } {
  const element = h('ol', { class: 'run-legend', id: 'train-runs', 'aria-label': 'runs on the charts' });
  return {
    element,
    add(run, text) {
      const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
      swatch.style.background = runColor(run);
      element.append(h('li', { 'data-color': runColor(run) }, swatch, text));
    },
    clear: () => element.replaceChildren(),
  };
}
