import { status } from '../app';
import { parseSliderValues } from '../lib/slider-values';
import { readParam, writeParams } from './url';

/**
 * Ties a range input to URL parameter `key`: a link's value (checked against the slider's own
 * range) is restored, and the position the user leaves it at is written back. A bad value is named
 * on the status line and the slider keeps its default.
 */
export function linkSlider(slider: HTMLInputElement, key: string): void {
  const raw = readParam(key);
  const [value] = parseSliderValues(raw, 1, Number(slider.min), Number(slider.max)) ?? [];
  if (value !== undefined) {
    slider.value = String(value);
    slider.dispatchEvent(new Event('input'));
  } else if (raw !== null) {
    status(`link: ${key} "${raw.slice(0, 40)}" is not a whole number from ${slider.min} to ${slider.max}; kept ${slider.value}`, true);
  }
  slider.addEventListener('change', () => writeParams({ [key]: slider.value }));
}
