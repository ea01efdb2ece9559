/** Formats a measured number for a table: NaN and infinities are shown as such (they are findings). */
export function fmt(value: unknown, digits = 4): string {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (value === Infinity) return '+Infinity';
    if (value === -Infinity) return '-Infinity';
    if (Number.isInteger(value)) return String(value);
    const abs = Math.abs(value);
    if (abs !== 0 && (abs >= 1e6 || abs < 1e-3)) return value.toExponential(2);
    // trailing zeros say nothing about a measurement: 0.5000 -> 0.5
    return value
      .toFixed(digits)
      .replace(/(\.\d*?)0+$/, '$1')
      .replace(/\.$/, '');
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (value === undefined || value === null) return '-';
  return String(value);
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** A GitHub-flavoured markdown table; numbers are right-aligned. */
export function markdownTable(headers: string[], rows: unknown[][]): string {
  const numeric = headers.map((_, c) => rows.length > 0 && rows.every((r) => typeof r[c] === 'number'));
  const head = `| ${headers.map(escapeCell).join(' | ')} |`;
  const rule = `|${numeric.map((n) => (n ? '---:' : '---')).join('|')}|`;
  const body = rows.map((r) => `| ${headers.map((_, c) => escapeCell(fmt(r[c]))).join(' | ')} |`);
  return [head, rule, ...body].join('\n');
}

/** Builds report.md: sections of prose, tables and figures (PNG files beside the report). */
export class Report {
  private readonly parts: string[] = [];

  constructor(title: string) {
    this.parts.push(`# ${title}`);
  }

  heading(text: string, level = 2): this {
    this.parts.push(`${'#'.repeat(level)} ${text}`);
    return this;
  }

  paragraph(text: string): this {
    this.parts.push(text.trim());
    return this;
  }

  bullets(items: string[]): this {
    this.parts.push(items.map((i) => `- ${i}`).join('\n'));
    return this;
  }

  table(headers: string[], rows: unknown[][]): this {
    this.parts.push(markdownTable(headers, rows));
    return this;
  }

  /** `file` is relative to the report, so the run directory can be moved or zipped as a whole. */
  image(file: string, alt: string, caption?: string): this {
    this.parts.push(`![${alt}](${encodeURI(file)})${caption ? `\n\n*${caption}*` : ''}`);
    return this;
  }

  code(text: string, lang = ''): this {
    this.parts.push(`\`\`\`${lang}\n${text}\n\`\`\``);
    return this;
  }

  toString(): string {
    return `${this.parts.join('\n\n')}\n`;
  }
}
