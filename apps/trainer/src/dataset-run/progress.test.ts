import { describe, expect, it } from 'vitest';
import { datasetProgress } from './progress';

describe('datasetProgress', () => {
  it('logs one line per 10% when not on a terminal', () => {
    const lines: string[] = [];
    const p = datasetProgress('[x]', { isTTY: false, write: (t) => lines.push(t) });
    for (let done = 10; done <= 100; done += 5) p.update({ done, total: 100, imagesPerSecond: 2, etaSeconds: (100 - done) / 2 });
    p.end();
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('[x] 10%: 10/100 images | 2.0 images/s | eta 45s\n');
    expect(lines[9]).toMatch(/^\[x\] 100%: 100\/100/);
  });

  it('redraws one bar in place on a terminal and ends the line once', () => {
    const out: string[] = [];
    const p = datasetProgress('[x]', { isTTY: true, write: (t) => out.push(t) });
    p.update({ done: 50, total: 100, imagesPerSecond: 5, etaSeconds: 10 });
    p.end();
    expect(out[0]).toMatch(/^\r\[x\] \[#{12}-{12}\] 50\/100 images/);
    expect(out.at(-1)).toBe('\n');
  });
});
