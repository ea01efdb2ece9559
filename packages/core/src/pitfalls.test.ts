import { describe, expect, it } from 'vitest';
import { callSite, resetPitfallWarnings, setPitfallWarningSink, warnPitfall } from './index';

const withoutPosition = (line: string) => line.trim().replace(/:\d+:\d+\)?$/, '');
const warnHere = () => warnPitfall('demo', callSite(), 'demo warning');

describe('callSite', () => {
  it("names the caller's frame as the string stack prints it (file and function)", () => {
    const [site, stack] = [callSite(), new Error().stack ?? ''];
    const line = stack.split('\n')[1] ?? '';
    expect(site.startsWith('at ')).toBe(true);
    expect(withoutPosition(site)).toBe(withoutPosition(line));
    expect(site).toMatch(/pitfalls\.test\.ts:\d+:\d+\)?$/);
  });

  it('gives one key per call site, so a warning repeats only from another line', () => {
    const seen: string[] = [];
    setPitfallWarningSink((message) => seen.push(message));
    resetPitfallWarnings();
    for (let i = 0; i < 3; i++) warnHere();
    warnPitfall('demo', callSite(), 'demo warning');
    expect(seen).toHaveLength(2);
    setPitfallWarningSink(null);
    resetPitfallWarnings();
  });
});
