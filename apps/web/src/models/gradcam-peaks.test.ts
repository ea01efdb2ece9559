import fs from 'node:fs';
import { LogitlabError } from '@logitlab/core';
import { describe, expect, it } from 'vitest';
import { GradCamPeaksError, gradCamPeakNote, parseGradCamPeaks } from './gradcam-peaks';

const shipped = JSON.parse(fs.readFileSync(new URL('../../public/weights/gradcam-peaks.json', import.meta.url), 'utf8')) as Record<
  string,
  unknown
>;

describe('gradcam-peaks.json', () => {
  it('the shipped file parses, and the note quotes its numbers', () => {
    const p = parseGradCamPeaks(shipped);
    const note = gradCamPeakNote(p);
    expect(note).toContain(`on ${p.digits} held-out MNIST digits`);
    expect(note).toContain(`lies on ink for ${Math.round(p.peakOnInk.page * 100)}%`);
    expect(note).toContain(`a random pixel ${Math.round(p.peakOnInk.randomPixel * 100)}%`);
  });

  it('the comparison with chance is computed, not fixed', () => {
    const p = parseGradCamPeaks(shipped);
    const above = { ...p, peakCellCentreOnInk: { ...p.peakCellCentreOnInk, conv2: 0.9, conv2Chance: 0.5 } };
    const level = { ...p, peakCellCentreOnInk: { ...p.peakCellCentreOnInk, conv2: 0.52, conv2Chance: 0.5 } };
    expect(gradCamPeakNote(above)).toContain('more often than any cell (90% vs 50%');
    expect(gradCamPeakNote(level)).toContain('about as often as any cell (52% vs 50%');
  });

  it.each([
    ['a missing file body', null, /digits is undefined/],
    ['no digits', { ...shipped, digits: 0 }, /digits is 0, expected a positive integer/],
    [
      'a share above 1',
      { ...shipped, peakOnInk: { page: 28, pytorchBilinear: 0.17, randomPixel: 0.15 } },
      /peakOnInk.page is 28, expected a share/,
    ],
    ['a missing section', { ...shipped, peakCellCentreOnInk: undefined }, /peakCellCentreOnInk.conv1 is undefined/],
    ['NaN', { ...shipped, peakOnInk: { page: Number.NaN, pytorchBilinear: 0.1, randomPixel: 0.1 } }, /peakOnInk.page is null/],
  ])('%s is a typed error naming the field', (_, json, message) => {
    expect(() => parseGradCamPeaks(json)).toThrow(GradCamPeaksError);
    expect(() => parseGradCamPeaks(json)).toThrow(message);
    try {
      parseGradCamPeaks(json);
    } catch (e) {
      expect(e).toBeInstanceOf(LogitlabError);
    }
  });
});
