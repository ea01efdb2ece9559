import * as tf from '@tensorflow/tfjs-core';
import { crossEntropy, logSoftmax, nllLoss, pitfallWarningsEnabled, setPitfallWarnings } from '@logitlab/losses';
import { type Row, lineChartSpec, renderChartPng } from '../plot/chart';
import { Report, fmt } from '../report';
import { type Summary, valueAt } from '../context';
import type { Experiment } from './types';

// Fixed logits for 10 classes: class 3 is the largest, class 9 the smallest.
const BASE = [1.0, 0.5, -0.3, 2.0, -1.2, 0.1, 0.8, -0.7, 0.3, -2.0];
const CASES = [
  { name: 'confident and right', target: 3 },
  { name: 'confident and wrong', target: 9 },
];
const SCALES = [1, 10, 30, 100, 300, 1000, 1e4, 1e5];

type Status = 'ok' | 'NaN' | 'Infinity' | 'wrong value' | 'wrong gradient' | 'vanishing gradient';

interface Method {
  key: string;
  label: string;
  loss: (logits: tf.Tensor2D, target: tf.Tensor1D) => tf.Tensor;
}

/** One colour per method in every figure of this report (and the float64 reference in black). */
export const METHOD_COLORS: Record<string, string> = {
  'crossEntropy(logits)': '#1f77b4',
  'nllLoss(logSoftmax(logits))': '#2ca02c',
  'nllLoss(log(softmax(logits)))': '#d62728',
  'nllLoss(softmax(logits))': '#ff7f0e',
  'exact (float64)': '#000000',
};

const METHODS: Method[] = [
  { key: 'crossEntropy', label: 'crossEntropy(logits)', loss: (z, t) => crossEntropy(z, t, { reduction: 'none' }) },
  { key: 'nllLogSoftmax', label: 'nllLoss(logSoftmax(logits))', loss: (z, t) => nllLoss(logSoftmax(z), t, { reduction: 'none' }) },
  {
    key: 'nllLogOfSoftmax',
    label: 'nllLoss(log(softmax(logits)))',
    loss: (z, t) => nllLoss(tf.log(tf.softmax(z)), t, { reduction: 'none' }),
  },
  { key: 'nllSoftmax', label: 'nllLoss(softmax(logits))', loss: (z, t) => nllLoss(tf.softmax(z), t, { reduction: 'none' }) },
];

/** Exact cross-entropy and its gradient in float64 (log-sum-exp with the max subtracted). */
export function exactCrossEntropy(logits: number[], target: number): { loss: number; grad: number[] } {
  const m = Math.max(...logits);
  const exps = logits.map((v) => Math.exp(v - m));
  const sum = exps.reduce((a, b) => a + b, 0);
  const loss = m + Math.log(sum) - logits[target]!;
  return { loss, grad: exps.map((e, i) => e / sum - (i === target ? 1 : 0)) };
}

/** How a computed loss and gradient compare with the exact cross-entropy. */
export function classify(loss: number, grad: ArrayLike<number>, exact: { loss: number; grad: number[] }): Status {
  const values = [loss, ...Array.from(grad)];
  if (values.some(Number.isNaN)) return 'NaN';
  if (values.some((v) => !Number.isFinite(v))) return 'Infinity';
  if (Math.abs(loss - exact.loss) > 1e-3 * Math.max(1, Math.abs(exact.loss))) return 'wrong value';
  const gradErr = Math.max(...exact.grad.map((g, i) => Math.abs(g - (grad[i] ?? 0))));
  return gradErr > 1e-3 ? 'wrong gradient' : 'ok';
}

interface ResultRow {
  scale: number;
  case: string;
  target: number;
  loss: number;
  gradNorm: number;
  gradFinite: boolean;
  status: Status;
}

/** The row where a method first broke, or undefined. */
function firstBroken(rows: ResultRow[], at: { scale: number; case: string } | null): ResultRow | undefined {
  return at ? rows.find((r) => r.scale === at.scale && r.case === at.case) : undefined;
}

/** What log(softmax(z)) did where it broke, in the words of its own numbers (loss value, gradient state). */
export function logOfSoftmaxSentence(rows: ResultRow[], at: { scale: number; status: Status; case: string } | null): string {
  const r = firstBroken(rows, at);
  if (!at || !r) return '**nllLoss(log(softmax(z)))** did not break here.';
  const gap = at.scale * (Math.max(...BASE) - (BASE[r.target] ?? 0));
  const grad = r.gradFinite ? `a finite gradient of norm ${fmt(r.gradNorm)}` : 'a NaN gradient';
  return (
    `**nllLoss(log(softmax(z)))** breaks at scale ${at.scale} (${at.status}, ${at.case}${gap > 0 ? `, the target's logit ${fmt(gap)} below the largest` : ''}): the loss there is ${fmt(r.loss)} with ${grad}. ` +
    `At that scale softmax rounds ${gap > 0 ? "the target's" : "the other classes'"} probability to exactly 0 in float32 and log(0) = -Infinity${r.gradFinite ? '' : '; one NaN gradient destroys every weight it reaches'}.`
  );
}

/** What nllLoss(softmax(z)) returned, from its numbers at the largest scale of the confidently wrong case. */
export function softmaxSentence(rows: ResultRow[], at: { scale: number; status: Status; case: string } | null): string {
  const last = rows.filter((r) => r.target === CASES[1]!.target).at(-1);
  const head = `**nllLoss(softmax(z))** ${at ? `is wrong from scale ${at.scale} (${at.status})` : 'did not break here'}: it returns -p(target), a number in [-1, 0], not the cross-entropy.`;
  if (!last) return head;
  return `${head} For the confidently wrong prediction at scale ${last.scale} it returns ${fmt(last.loss)} with a gradient of norm ${fmt(last.gradNorm)}${last.gradNorm < 1e-6 ? ': the model is told nothing exactly when it is most wrong' : ''}. nllLoss expects log-probabilities.`;
}

/** Experiment 5: the same loss computed four ways as the logits grow; where each one breaks. */
export const logits: Experiment = {
  title: 'Logits vs probabilities: numerical stability of cross-entropy',
  seed: 5,
  headline: (s) => String(valueAt(s, 'conclusion') ?? ''),
  async run(ctx): Promise<Summary> {
    const warned = pitfallWarningsEnabled();
    setPitfallWarnings(false); // the wrong pairings are the point here, not a mistake to warn about
    const results: Record<
      string,
      {
        scale: number;
        case: string;
        target: number;
        loss: number;
        expected: number;
        gradMaxAbsError: number;
        gradNorm: number;
        gradFinite: boolean;
        status: Status;
      }[]
    > = {};
    try {
      for (const m of METHODS) {
        results[m.key] = [];
        for (const scale of SCALES) {
          for (const c of CASES) {
            const scaled = BASE.map((v) => v * scale);
            const exact = exactCrossEntropy(scaled, c.target);
            const { loss, grad } = tf.tidy(() => {
              const z = tf.tensor2d([scaled], [1, BASE.length]);
              const t = tf.tensor1d([c.target], 'int32');
              const g = tf.grad((x: tf.Tensor) => tf.sum(m.loss(x as tf.Tensor2D, t)))(z);
              return { loss: m.loss(z, t).dataSync()[0]!, grad: Array.from(g.dataSync()) };
            });
            const gradMaxAbsError = Math.max(...exact.grad.map((g, i) => Math.abs(g - (grad[i] ?? NaN))));
            const gradNorm = Math.sqrt(grad.reduce((a, g) => a + g * g, 0));
            let status = classify(loss, grad, exact);
            const exactNorm = Math.sqrt(exact.grad.reduce((a, g) => a + g * g, 0));
            if (status === 'wrong value' && exactNorm > 0.1 && gradNorm < 1e-6) status = 'vanishing gradient';
            results[m.key]!.push({
              scale,
              case: c.name,
              target: c.target,
              loss,
              expected: exact.loss,
              gradMaxAbsError,
              gradNorm,
              gradFinite: grad.every(Number.isFinite),
              status,
            });
          }
        }
      }
    } finally {
      setPitfallWarnings(warned);
    }
    const breaksAt: Record<string, { scale: number; status: Status; case: string } | null> = {};
    for (const m of METHODS) {
      const first = results[m.key]!.find((r) => r.status !== 'ok');
      breaksAt[m.key] = first ? { scale: first.scale, status: first.status, case: first.case } : null;
    }
    const conclusion = METHODS.map((m) => {
      const b = breaksAt[m.key];
      return `${m.label}: ${b ? `breaks at scale ${b.scale} (${b.status})` : 'exact at every scale'}`;
    }).join('; ');
    ctx.log(conclusion);

    const chartRows: Row[] = [];
    for (const m of METHODS) {
      for (const r of results[m.key]!.filter((x) => x.target === 9))
        chartRows.push({
          scale: r.scale,
          loss: Number.isFinite(r.loss) ? (Math.abs(r.loss) > 0 ? Math.abs(r.loss) : null) : r.loss,
          method: m.label,
        });
    }
    for (const s of SCALES)
      chartRows.push({
        scale: s,
        loss: exactCrossEntropy(
          BASE.map((v) => v * s),
          9,
        ).loss,
        method: 'exact (float64)',
      });
    ctx.run.writeFile(
      'loss-vs-scale.png',
      await renderChartPng(
        lineChartSpec({
          title: 'Loss of a confidently wrong prediction vs logit scale',
          rows: chartRows,
          x: 'scale',
          y: 'loss',
          series: 'method',
          xTitle: 'logit scale',
          yTitle: '|loss| (x on the axis: NaN / Inf; missing: 0)',
          logX: true,
          logY: true,
          points: true,
          width: 520,
          seriesColors: METHOD_COLORS,
          markNonFinite: true,
        }),
      ),
    );
    const gradRows: Row[] = [];
    for (const m of METHODS) {
      for (const r of results[m.key]!.filter((x) => x.target === 9))
        gradRows.push({ scale: r.scale, gradNorm: r.gradFinite ? (r.gradNorm > 0 ? r.gradNorm : null) : NaN, method: m.label });
    }
    ctx.run.writeFile(
      'gradient-vs-scale.png',
      await renderChartPng(
        lineChartSpec({
          title: 'Gradient norm w.r.t. the logits (confidently wrong case)',
          rows: gradRows,
          x: 'scale',
          y: 'gradNorm',
          series: 'method',
          xTitle: 'logit scale',
          yTitle: '||dL/dz|| (x on the axis: NaN; missing: 0)',
          logX: true,
          logY: true,
          points: true,
          width: 520,
          seriesColors: METHOD_COLORS,
          markNonFinite: true,
        }),
      ),
    );

    const report = new Report('Experiment 5: logits, log-probabilities and probabilities at growing scales')
      .paragraph(
        `Ten fixed logits z = [${BASE.join(', ')}] are multiplied by a growing scale s (training pushes logits up in exactly this way), and the loss and its gradient with respect to the logits are computed four ways, in float32 on the ${ctx.backend} backend, against the exact cross-entropy in float64. ` +
          `Two targets: class 3 (the largest logit: confident and right) and class 9 (the smallest: confident and wrong).`,
      )
      .table(
        ['method', 'breaks at scale', 'how'],
        METHODS.map((m) => [
          m.label,
          breaksAt[m.key]?.scale ?? 'never',
          breaksAt[m.key] ? `${breaksAt[m.key]!.status} (${breaksAt[m.key]!.case})` : 'exact loss and gradient',
        ]),
      );
    for (const c of CASES) {
      report.heading(`Target ${c.target}: ${c.name}`, 3).table(
        ['scale', 'exact CE', ...METHODS.map((m) => m.label)],
        SCALES.map((s) => {
          const row: unknown[] = [s, results.crossEntropy!.find((r) => r.scale === s && r.target === c.target)?.expected];
          for (const m of METHODS) {
            const r = results[m.key]!.find((x) => x.scale === s && x.target === c.target)!;
            row.push(`${fmt(r.loss)}${r.status === 'ok' ? '' : ` (${r.status})`}`);
          }
          return row;
        }),
      );
    }
    report
      .image('loss-vs-scale.png', 'loss vs scale')
      .image('gradient-vs-scale.png', 'gradient norm vs scale')
      .heading('What the numbers say')
      .bullets([
        `**crossEntropy on logits** ${breaksAt.crossEntropy ? `broke at ${breaksAt.crossEntropy.scale}` : `is exact at every scale up to ${SCALES.at(-1)}`}: it computes log-softmax as z - max(z) - log(sum(exp(z - max(z)))), so nothing overflows or underflows, and the gradient softmax(z) - onehot stays bounded.`,
        `**nllLoss(logSoftmax(z))** is the same computation split in two and ${breaksAt.nllLogSoftmax ? `broke at ${breaksAt.nllLogSoftmax.scale}` : 'is equally exact'}.`,
        logOfSoftmaxSentence(results.nllLogOfSoftmax!, breaksAt.nllLogOfSoftmax ?? null),
        softmaxSentence(results.nllSoftmax!, breaksAt.nllSoftmax ?? null),
        `Lesson: give losses LOGITS (crossEntropy, binaryCrossEntropyWithLogits) or log-probabilities from logSoftmax, never probabilities.`,
      ]);
    ctx.run.writeReport(report.toString());
    return {
      experiment: 'logits',
      seed: ctx.seed,
      backend: ctx.backend,
      baseLogits: BASE,
      scales: SCALES,
      cases: CASES,
      breaksAt,
      conclusion,
      results,
    };
  },
};
