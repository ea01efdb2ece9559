/**
 * Why calls ran eagerly: every distinct reason in order (for stats), each told once when it is final
 * (a guard, or a key given up on), through the caller's `onFallback` or console.warn.
 */
export class Fallbacks {
  readonly reasons: string[] = [];
  private readonly told = new Set<string>();

  constructor(
    private readonly label: string,
    private readonly onFallback: ((reason: string) => void) | undefined,
  ) {}

  record(reason: string, final: boolean): void {
    if (!this.reasons.includes(reason)) this.reasons.push(reason);
    if (!final || this.told.has(reason)) return;
    this.told.add(reason);
    (this.onFallback ?? ((r: string) => console.warn(`${this.label}: runs eagerly: ${r}`)))(reason);
  }
}
