/** Edit distance with transpositions (optimal string alignment): 'haeds' is one edit from 'heads'. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_row, i) =>
    Array.from({ length: b.length + 1 }, (_col, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The candidate closest to `word` when it is plausibly a typo (within a third of its length), else undefined. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const d = c.toLowerCase().startsWith(w) && w.length >= 2 ? 0.5 : distance(w, c.toLowerCase());
    if (!best || d < best.d) best = { c, d };
  }
  return best && best.d <= Math.max(1, Math.floor(word.length / 3)) ? best.c : undefined;
}

/** `unknown experiment 'haeds' (did you mean 'heads'?), expected one of heads, ...` */
export function unknownName(what: string, value: string, allowed: readonly string[]): string {
  const guess = closest(value, allowed);
  return `unknown ${what} '${value}'${guess ? ` (did you mean '${guess}'?)` : ''}, expected one of ${allowed.join(', ')}`;
}
