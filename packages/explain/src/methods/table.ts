import type { AttributionMethod, Conserves } from './method';

const CONSERVES: Record<Conserves, string> = { score: 'f(x)', scoreDifference: 'f(x) - f(baseline)', none: '– (reported against f(x))' };

const cell = (s: string): string => s.replace(/\|/g, '\\|');

/** The README's method table, one row per registered method (its test regenerates it from the registry). */
export function methodsTable(methods: readonly AttributionMethod[]): string {
  const rows = methods.map((m) => {
    const options = m.options.map((o) => `\`${o.name}\` (${o.default ?? 'required'}): ${o.meaning}`).join('; ') || '–';
    return `| \`${m.name}\` | ${cell(m.summary)} | ${cell(options)} | ${CONSERVES[m.conserves]} |`;
  });
  return ['| method | what it computes | options it reads (default) | sum of relevance should equal |', '|---|---|---|---|', ...rows].join(
    '\n',
  );
}
