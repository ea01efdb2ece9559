import * as vega from 'vega';

// Advance widths of DejaVu Sans (the font resvg draws our SVGs with), in em, from its hmtx table
// (units / 2048). Without a canvas vega guesses 0.8 em per character, about a third too wide, and
// lays out by the guess: a right-aligned row header then ends up far left of its images, with an
// empty band between (issue 23 item 8). vega reads a user-defined `textMetrics.width` (vl-convert
// does the same), so the layout is computed with the widths the renderer will actually use.
const EM: Record<string, number> = {
  ' ': 0.318,
  '.': 0.318,
  ',': 0.318,
  ':': 0.337,
  ';': 0.337,
  '(': 0.39,
  ')': 0.39,
  '[': 0.39,
  ']': 0.39,
  '#': 0.838,
  '-': 0.361,
  '/': 0.337,
  '|': 0.337,
  '%': 0.95,
  '=': 0.838,
  '+': 0.838,
  _: 0.5,
  '\u2212': 0.838,
  "'": 0.275,
  '"': 0.46,
  '!': 0.4,
  '?': 0.531,
  '*': 0.5,
  '<': 0.838,
  '>': 0.838,
  '^': 0.838,
  '~': 0.838,
  a: 0.613,
  b: 0.635,
  c: 0.55,
  d: 0.635,
  e: 0.615,
  f: 0.352,
  g: 0.635,
  h: 0.634,
  i: 0.278,
  j: 0.278,
  k: 0.579,
  l: 0.278,
  m: 0.974,
  n: 0.634,
  o: 0.612,
  p: 0.635,
  q: 0.635,
  r: 0.411,
  s: 0.521,
  t: 0.392,
  u: 0.634,
  v: 0.592,
  w: 0.818,
  x: 0.592,
  y: 0.592,
  z: 0.525,
  I: 0.295,
  J: 0.295,
  M: 0.863,
  W: 0.989,
};
const DIGIT = 0.636;
const UPPER = 0.7;
const OTHER = 0.6;
// DejaVu Sans Bold is about this much wider than the regular face
const BOLD = 1.1;

/** Width in px of `text` in DejaVu Sans at `fontSize` px. */
export function dejaVuWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const ch of text) em += EM[ch] ?? (ch >= '0' && ch <= '9' ? DIGIT : ch >= 'A' && ch <= 'Z' ? UPPER : OTHER);
  return em * fontSize * (bold ? BOLD : 1);
}

interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
  text?: unknown;
}

// exported by vega (from vega-scenegraph) but missing from its typings
const { textMetrics } = vega as unknown as { textMetrics: { width: (item: TextItem, text?: unknown) => number } };

/** Makes vega measure text as DejaVu Sans (idempotent). */
export function useDejaVuMetrics(): void {
  textMetrics.width = (item, text) => {
    const value = String(text ?? item.text ?? '').trim();
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    const bold = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600;
    return dejaVuWidth(value, size, bold);
  };
}
