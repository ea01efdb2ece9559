import * as tf from '@tensorflow/tfjs-core';
import { maxAbs } from '../lib/heatmap';
import { ZOO_SUPPLIED } from '../models/explainer';
import { gradCamPeakNote, type GradCamPeaks } from '../models/gradcam-peaks';
import { conservationLine } from '../models/sum-rule';
import type { ConvnetRun } from '../models/convnet-run';
import { linkSlider } from '../state/linked-slider';
import { fmt, h } from '../ui/dom';
import { HeatmapView } from '../ui/heatmap-view';
import type { Target } from '../state/pinned-target';
import { ExplainControls } from './explain-controls';

/** What one render shows in the card beside what it computed. */
export interface Shown {
  target: Target;
  pinned: boolean;
  /** The drawing as the network sees it (0..1). */
  input: Float32Array;
  /** Set when the drawing is far from the training digits. */
  unsupported: boolean;
  peaks: GradCamPeaks | null;
}

/**
 * Classify's explanation card: method and composite menus (linked to the URL), the heatmap with its
 * opacity slider (linked too), the "Why?" title, the unpin control, the caption and the note that says
 * when the explanation ran on another backend than the heads.
 */
export class ClassifyExplanation {
  readonly controls = new ExplainControls('classify');
  readonly heatmap = new HeatmapView({ id: 'classify-heatmap', width: 28, height: 28, scale: 8 });
  // A pressed bar pins its class; one control returns to explaining the prediction.
  readonly unpin = h('button', { class: 'btn', id: 'classify-unpin', type: 'button', hidden: true }, 'Unpin: explain the prediction');
  private readonly why = h('h3', { id: 'classify-why' }, 'Why?');
  private readonly caption = h('p', { class: 'muted', id: 'classify-caption' }, '');
  private readonly fallback = h('p', { class: 'note', id: 'classify-fallback', hidden: true });
  readonly el: HTMLElement;

  constructor() {
    this.controls.setMethods(ZOO_SUPPLIED);
    this.controls.link('method', 'composite');
    // The overlay is part of the view a link reproduces.
    linkSlider(this.heatmap.slider, 'opacity');
    this.el = h(
      'div',
      { class: 'card explain-card', id: 'classify-explain' },
      this.why,
      h(
        'p',
        { class: 'sub' },
        'The top prediction is explained; press a bar of any head to pin that class. Red pixels raise the output, blue ones lower it.',
      ),
      this.unpin,
      this.controls.el,
      this.heatmap.el,
      this.caption,
      this.fallback,
    );
  }

  /** Shows a render's explanation; returns the heatmap's description (the phone strip's thumbnail reuses it). */
  show(run: ConvnetRun, shown: Shown): string {
    const { method } = this.controls.value();
    const { relevance } = run;
    const digit = relevance.digit;
    const methodName = this.controls.label();
    this.why.replaceChildren(
      `Why ${digit}? `,
      h('span', { class: 'muted' }, `${shown.target.head} head, ${methodName} `),
      shown.pinned ? h('span', { class: 'badge pin' }, 'pinned') : h('span', { class: 'badge' }, 'top prediction'),
      ...(shown.unsupported ? [h('span', { class: 'flag' }, 'unsupported')] : []),
    );
    this.unpin.hidden = !shown.pinned;
    this.unpin.textContent = `Unpin ${digit}: explain the prediction`;
    const label = `relevance of each input pixel for the ${shown.target.head} head's output ${digit}, by ${methodName}; colour scale ±${fmt(maxAbs(relevance.values), 3)}`;
    this.heatmap.set(shown.input, relevance.values, [0, 1], label);
    this.caption.textContent = `${methodName}: ${conservationLine(method, relevance.total, relevance.should)}${
      method === 'lrp' || method === 'integratedGradients' ? `; f(x) is the logit of ${digit}` : ''
    }.${shown.peaks ? ` ${gradCamPeakNote(shown.peaks)}` : ''}`;
    // The heads ran on the page's backend; an explanation webgpu cannot give ran elsewhere, and says so.
    const page = tf.getBackend();
    this.fallback.hidden = relevance.backend === page;
    this.fallback.textContent = this.fallback.hidden
      ? ''
      : `Explanation computed on ${relevance.backend}: explain() reads its conservation report synchronously, which ${page} cannot do reliably.`;
    Object.assign(this.el.dataset, {
      backend: relevance.backend,
      pageBackend: page,
      head: shown.target.head,
      target: String(digit),
      method,
      pinned: String(shown.pinned),
      lit: String(relevance.values.filter((v) => Math.abs(v) > 0.05 * maxAbs(relevance.values)).length),
    });
    return label;
  }
}
