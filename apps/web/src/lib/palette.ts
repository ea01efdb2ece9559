/** Ten distinguishable colours for digits 0-9 (Tableau 10), shared by the latent maps and legends. */
export const DIGIT_COLORS = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#5f6b6d',
] as const;

export function digitColor(d: number): string {
  return DIGIT_COLORS[((d % 10) + 10) % 10] ?? '#888';
}
