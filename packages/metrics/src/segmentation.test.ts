import { describe, expect, it } from 'vitest';
import { meanIoU, pixelAccuracy, segmentationReport } from './index';

// target = [0,0,1,1], pred = [0,1,1,1], 3 classes
// class 0: tp 1, target 2, pred 1 -> union 2 -> IoU 1/2
// class 1: tp 2, target 2, pred 3 -> union 3 -> IoU 2/3
// class 2: absent from both -> null, excluded -> mean IoU (1/2 + 2/3) / 2 = 7/12 ; pixel accuracy 3/4
describe('segmentation metrics', () => {
  it('per-class IoU, mean IoU excluding absent classes, pixel accuracy', () => {
    const r = segmentationReport([0, 1, 1, 1], [0, 0, 1, 1], { numClasses: 3 });
    expect(r.perClassIoU[0]).toBeCloseTo(0.5, 12);
    expect(r.perClassIoU[1]).toBeCloseTo(2 / 3, 12);
    expect(r.perClassIoU[2]).toBeNull();
    expect(r.meanIoU).toBeCloseTo(7 / 12, 12);
    expect(r.pixelAccuracy).toBe(0.75);
  });

  it('a class predicted but absent from the target has IoU 0 and counts', () => {
    // pred [2,0], target [0,0]: class 0 tp 1, union 2 -> 1/2; class 2 tp 0 union 1 -> 0; mean 1/4
    expect(meanIoU([2, 0], [0, 0], { numClasses: 3 })).toBeCloseTo(0.25, 12);
  });

  it('takes NHWC scores and skips ignoreIndex pixels', () => {
    // the same 4 pixels as above as one-hot scores, plus a 5th pixel labelled 255 (ignored)
    const labels = [0, 1, 1, 1, 2];
    const scores = new Float32Array(5 * 3);
    labels.forEach((c, i) => (scores[i * 3 + c] = 1));
    const r = segmentationReport(scores, [0, 0, 1, 1, 255], { numClasses: 3, ignoreIndex: 255 });
    expect(r.meanIoU).toBeCloseTo(7 / 12, 12);
    expect(pixelAccuracy(scores, [0, 0, 1, 1, 255], { numClasses: 3, ignoreIndex: 255 })).toBe(0.75);
  });

  it('rejects a target class out of range', () => {
    expect(() => meanIoU([0], [7], { numClasses: 3 })).toThrow(/target\[0\] = 7/);
  });
});
