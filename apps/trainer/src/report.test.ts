import { describe, expect, it } from 'vitest';
import { Report, fmt, markdownTable } from './report';

describe('report building', () => {
  it('formats measured numbers, keeping NaN and infinities visible', () => {
    expect(fmt(0.98765, 3)).toBe('0.988');
    expect(fmt(2)).toBe('2');
    expect(fmt(1.5)).toBe('1.5');
    expect(fmt(NaN)).toBe('NaN');
    expect(fmt(-Infinity)).toBe('-Infinity');
    expect(fmt(1.234e-7)).toBe('1.23e-7');
    expect(fmt(true)).toBe('yes');
    expect(fmt(undefined)).toBe('-');
  });

  it('builds tables with numeric columns right-aligned and pipes escaped', () => {
    const t = markdownTable(
      ['head', 'accuracy'],
      [
        ['a|b', 0.5],
        ['c', 0.25],
      ],
    );
    expect(t.split('\n')).toEqual(['| head | accuracy |', '|---|---:|', '| a\\|b | 0.5 |', '| c | 0.25 |']);
  });

  it('assembles sections, tables and relative image links', () => {
    const md = new Report('Title')
      .paragraph('Intro.')
      .table(['k', 'v'], [['x', 1]])
      .image('loss curve.png', 'loss', 'Caption.')
      .bullets(['one', 'two'])
      .toString();
    expect(md.startsWith('# Title\n\nIntro.\n\n| k | v |')).toBe(true);
    expect(md).toContain('![loss](loss%20curve.png)\n\n*Caption.*');
    expect(md).toContain('- one\n- two');
    expect(md.endsWith('\n')).toBe(true);
  });
});
