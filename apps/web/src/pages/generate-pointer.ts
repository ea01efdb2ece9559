import { writeParams } from '../state/url';
import { type Column, MAP } from './generate-column';
import { decodeLatest, decodeZ } from './generate-decode';

/**
 * Wires a column's latent map (hover, drag, click, arrow keys) and its sliders to decoding. The VAE's
 * column (`linked`) keeps its point and its slider edits in the URL, so a link reproduces the view.
 */
export function wireColumn(c: Column, linked: boolean): void {
  const at = (e: PointerEvent | MouseEvent): { x: number; y: number } => {
    const r = c.map.getBoundingClientRect();
    return { x: ((e.clientX - r.left) / r.width) * MAP, y: ((e.clientY - r.top) / r.height) * MAP };
  };
  // The point asked for, not c.click: while a decode runs, a new point only queues, and c.click is
  // still an earlier one.
  const remember = (p: { x: number; y: number }): void => {
    // A new point starts from its own code: earlier slider edits no longer apply.
    if (linked) writeParams({ z: `${(p.x / MAP).toFixed(3)},${(p.y / MAP).toFixed(3)}`, sliders: null });
  };
  c.map.style.touchAction = 'none';
  // Hover and drag decode continuously; a click (or lifting the finger) keeps the point in the URL.
  c.map.addEventListener('pointermove', (e) => {
    const p = at(e);
    void decodeLatest(c, p.x, p.y);
  });
  c.map.addEventListener('pointerdown', (e) => {
    const p = at(e);
    void decodeLatest(c, p.x, p.y);
  });
  // a drag (a finger's above all, which makes no click) ends where the pointer is lifted: that point is the view
  for (const kind of ['pointerup', 'click'] as const)
    c.map.addEventListener(kind, (e) => {
      const p = at(e);
      remember(p);
      void decodeLatest(c, p.x, p.y);
    });
  c.map.addEventListener('keydown', (e) => {
    const step = MAP / 30;
    const d = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }[e.key];
    if (!d) return;
    e.preventDefault();
    const from = c.click ?? { x: MAP / 2, y: MAP / 2 };
    const x = Math.max(0, Math.min(MAP, from.x + (d[0] ?? 0)));
    const y = Math.max(0, Math.min(MAP, from.y + (d[1] ?? 0)));
    remember({ x, y });
    void decodeLatest(c, x, y);
  });
  c.sliders.forEach((sl, i) =>
    sl.addEventListener('input', () => {
      if (!c.z) return;
      c.z[i] = Number(sl.value) / 100;
      void decodeZ(c);
    }),
  );
  // The VAE's slider edits are part of the view a link reproduces (written when a slider is let go).
  if (linked)
    for (const sl of c.sliders) sl.addEventListener('change', () => writeParams({ sliders: c.sliders.map((s) => s.value).join(',') }));
}
