/**
 * Slider positions as a URL parameter holds them ("12,-40,0,7"): exactly `count` whole numbers in
 * [min, max], or null, so a hand-edited or truncated link never moves a slider half-way.
 */
export function parseSliderValues(raw: string | null, count: number, min: number, max: number): number[] | null {
  if (raw === null) return null;
  const parts = raw.split(',');
  if (parts.length !== count || !parts.every((p) => /^-?\d+$/.test(p.trim()))) return null;
  const values = parts.map(Number);
  return values.every((v) => v >= min && v <= max) ? values : null;
}
