import * as tf from '@tensorflow/tfjs-core';
import type { SumPoolExplainer } from '@logitlab/models';
import { TARGET_DIGITS } from '../models/data';
import type { ExplainerRun } from '../models/explainer-run';
import type { PairFindings } from '../models/pair-findings';
import { accuracyLabel, type ZooEntry } from '../models/zoo';
import { fmt, h } from '../ui/dom';

export const TARGETS = TARGET_DIGITS.join(', ').replace(/, (\d)$/, ' or $1');

/** What the answer card shows besides the run: the comparison's name and what its sum should equal. */
export interface AnswerContext {
  entry: ZooEntry<SumPoolExplainer>;
  composite: string;
  compare: string;
  should: string | null;
  findings: PairFindings;
}

/**
 * Explain's answer card: the verdict, f(x) against LRP's and the comparison's sums, the note when the
 * input is unlike the training pairs and the one when another backend computed it.
 */
export class ExplainAnswer {
  private readonly stats = h('dl', { class: 'stats' });
  private readonly verdict = h('div', { class: 'verdict', 'aria-live': 'polite', id: 'explain-verdict' }, '–');
  // Says when the input is unlike the training pairs, so a "yes" on a blank pad is not taken at face value.
  private readonly oodNote = h('p', { class: 'note', id: 'explain-ood', hidden: true });
  private readonly source = h('span', { class: 'badge' }, 'loading…');
  private readonly note = h('p', { class: 'muted', id: 'explain-note' });
  readonly el = h(
    'div',
    { class: 'card' },
    h('h3', {}, `Is there a ${TARGETS}? `, this.source),
    h('p', { class: 'sub' }, `f(x) ≈ 100 when one of them is present, ≈ 0 for two distractors 4–9 (threshold 50)`),
    this.verdict,
    this.oodNote,
    this.stats,
    this.note,
  );

  show(result: ExplainerRun, c: AnswerContext): void {
    this.note.textContent =
      result.backend === tf.getBackend()
        ? ''
        : `computed on ${result.backend}: explain() reads conservation synchronously, which ${tf.getBackend()} cannot do reliably`;
    const f = result.conservation.output[0] ?? NaN;
    const total = result.conservation.total[0] ?? NaN;
    const relError = result.conservation.relError[0] ?? NaN;
    this.verdict.textContent = f > 50 ? `yes (f = ${fmt(f, 1)})` : `no (f = ${fmt(f, 1)})`;
    if (c.findings.far.length) this.verdict.append(' ', h('span', { class: 'flag' }, 'unreliable'));
    this.stats.replaceChildren(
      h('dt', {}, 'output f(x)'),
      h('dd', {}, fmt(f, 4)),
      h('dt', {}, `Σ relevance (${c.composite})`),
      h('dd', {}, fmt(total, 4)),
      h('dt', {}, '|Σ R − f(x)| / f(x)'),
      h(
        'dd',
        { class: relError < 1e-3 || f <= 0 ? '' : 'error' },
        f > 0 ? (relError === 0 ? '0 (exact in float32)' : relError.toExponential(2)) : 'f(x) = 0: nothing to explain',
      ),
      h('dt', {}, `Σ ${c.compare}`),
      h(
        'dd',
        {},
        c.should
          ? `${fmt(result.compareSum, 2)} (should equal ${c.should} = ${fmt(result.compareShould, 2)})`
          : `${fmt(result.compareSum, 2)} (no required value)`,
      ),
    );
    this.oodNote.hidden = !c.findings.text;
    this.oodNote.textContent = c.findings.text;
    this.source.textContent = [c.entry.source, accuracyLabel(c.entry)].filter(Boolean).join(' · ');
    this.source.className = `badge ${c.entry.source.split(' ')[0]}`;
  }
}
