import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommonOptions } from '../options';
import { decodePng } from '../plot/image';
import { RunDir } from '../run-dir';
import { logits } from './logits';
import type { ExperimentContext } from '../context';

const opts: CommonOptions = { backend: 'cpu', data: { kind: 'synthetic' }, download: false, quick: true };

describe('logits experiment report', () => {
  it('says what its own table shows where log(softmax) breaks, and marks the non-finite points', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logitlab-logits-'));
    const ctx: ExperimentContext = { opts, run: new RunDir(dir), seed: 5, backend: 'cpu', log: () => {}, progress: () => ({}) };
    const summary = (await logits.run(ctx)) as unknown as {
      breaksAt: Record<string, { scale: number; case: string } | null>;
      results: Record<string, { scale: number; case: string; loss: number; gradFinite: boolean }[]>;
    };
    const report = fs.readFileSync(path.join(dir, 'report.md'), 'utf8');
    if (process.env.LOGITLAB_KEEP_FIGURES) fs.cpSync(dir, process.env.LOGITLAB_KEEP_FIGURES, { recursive: true });
    const at = summary.breaksAt.nllLogOfSoftmax!;
    const row = summary.results.nllLogOfSoftmax!.find((r) => r.scale === at.scale && r.case === at.case)!;
    const sentence = report.split('\n').find((l) => l.includes('**nllLoss(log(softmax(z)))** breaks'))!;
    expect(sentence).toContain(`the loss there is ${Number.isNaN(row.loss) ? 'NaN' : String(row.loss)}`);
    if (!Number.isFinite(row.loss) && !(row.loss > 0)) expect(sentence).not.toContain('+Infinity');
    expect(sentence).toContain(row.gradFinite ? 'finite gradient' : 'NaN gradient');
    for (const f of ['loss-vs-scale.png', 'gradient-vs-scale.png'])
      expect(decodePng(fs.readFileSync(path.join(dir, f))).width).toBeGreaterThan(500);
  }, 300_000);
});
