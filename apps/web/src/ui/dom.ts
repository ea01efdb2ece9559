/** Tiny DOM helper: `h('div', { class: 'card' }, child, 'text')`. Enough for a handful of pages. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | undefined> = {},
  ...children: Array<Node | string | null | undefined>
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c != null) el.append(c);
  return el;
}

export function canvas(width: number, height: number, attrs: Record<string, string> = {}): HTMLCanvasElement {
  return h('canvas', { width, height, ...attrs });
}

/** Formats a number for display: fixed for ordinary magnitudes, exponent for tiny or huge. */
export function fmt(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return x.toExponential(2);
  return x.toFixed(digits);
}
