import { describe, expect, it } from 'vitest';
import { Progress, formatDuration } from './progress';

describe('progress without a TTY', () => {
  it('prints plain periodic lines with an ETA and a final line', () => {
    let now = 0;
    const lines: string[] = [];
    const p = new Progress({ tty: false, intervalSec: 5, write: (l) => lines.push(l), now: () => now });
    p.start(100, 'train');
    now = 1000;
    p.update(10); // too soon: no line
    now = 6000;
    p.update(20, 'loss 1.2');
    now = 30000;
    p.stop('loss 0.1');
    expect(lines).toEqual(['train: 20/100 (20%) ETA 24s | loss 1.2', 'train: 100/100 (100%) done in 30s | loss 0.1']);
  });

  it('formats durations', () => {
    expect(formatDuration(42)).toBe('42s');
    expect(formatDuration(65)).toBe('1m05s');
    expect(formatDuration(3720)).toBe('1h02m');
    expect(formatDuration(NaN)).toBe('?');
  });
});
