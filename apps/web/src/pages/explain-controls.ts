import { COMPOSITES, DEFAULT_COMPOSITE, methodLabels, runnableMethods, type Supplied } from '../models/explainer';
import { linkSelect } from '../state/linked-select';
import { h } from '../ui/dom';

/**
 * The method and composite menus, read from the explain registry for what a model is supplied with
 * (Grad-CAM only where it has a convolution); the composite menu shows only while the method is LRP.
 */
export class ExplainControls {
  readonly el: HTMLElement;
  /** The method menu, for a page that moves focus to it. */
  readonly method: HTMLSelectElement;
  private readonly composite: HTMLSelectElement;
  private readonly compositeLabel: HTMLElement;
  private labels: Record<string, string> = {};

  constructor(prefix: string) {
    this.method = h('select', { id: `${prefix}-method`, 'aria-label': 'explanation method' });
    this.composite = h(
      'select',
      { id: `${prefix}-composite`, 'aria-label': 'LRP composite' },
      ...COMPOSITES.map((c) => h('option', { value: c }, c)),
    );
    this.composite.value = DEFAULT_COMPOSITE;
    this.compositeLabel = h('label', { for: `${prefix}-composite` }, 'composite');
    this.el = h(
      'div',
      { class: 'controls' },
      h('label', { for: `${prefix}-method` }, 'method'),
      this.method,
      this.compositeLabel,
      this.composite,
    );
    this.method.addEventListener('change', () => this.showComposite());
  }

  /** Fills the method menu for a model, keeping the chosen method where the new model can run it. */
  setMethods(supplied: Supplied): void {
    const was = this.method.value;
    const names = runnableMethods(supplied);
    this.labels = methodLabels(supplied);
    this.method.replaceChildren(...names.map((m) => h('option', { value: m }, this.labels[m] ?? m)));
    this.method.value = names.includes(was) ? was : (names[0] ?? '');
    this.showComposite();
  }

  /** Restores both menus from URL parameters and writes the user's choices back (after setMethods). */
  link(methodKey: string, compositeKey: string): void {
    linkSelect(this.method, methodKey);
    linkSelect(this.composite, compositeKey);
    this.showComposite();
  }

  onChange(fn: () => void): void {
    this.method.addEventListener('change', fn);
    this.composite.addEventListener('change', fn);
  }

  value(): { method: string; composite: string } {
    return { method: this.method.value, composite: this.composite.value };
  }

  /** The method's label, with the composite for LRP ('LRP epsilonPlus'). */
  label(): string {
    const { method, composite } = this.value();
    return `${this.labels[method] ?? method}${method === 'lrp' ? ` ${composite}` : ''}`;
  }

  private showComposite(): void {
    const lrp = this.method.value === 'lrp';
    this.composite.hidden = !lrp;
    this.compositeLabel.hidden = !lrp;
  }
}
