import { compositeNames, type CompositeName } from '@logitlab/explain';
import type { SameAs } from '../models/composite-equivalence';
import { COMPARE_METHODS, METHOD_LABELS } from '../models/explainer';
import type { ExplainerRun } from '../models/explainer-run';
import { linkSelect } from '../state/linked-select';
import { linkSlider } from '../state/linked-slider';
import { h } from '../ui/dom';
import { HeatmapView } from '../ui/heatmap-view';

/** LRP composites (zennit's names); 'deepTaylor' is Montavon et al.'s zB + z⁺. */
const RULES: Record<string, string> = Object.fromEntries(compositeNames.map((c) => [c, c === 'deepTaylor' ? 'deepTaylor (zB + z⁺)' : c]));
const COMPARE: Readonly<Record<string, string>> = Object.fromEntries(COMPARE_METHODS.map((m) => [m, METHOD_LABELS[m]!]));

const menu = (id: string, label: string, entries: Record<string, string>, value: string, key: string): HTMLSelectElement => {
  const select = h('select', { id, 'aria-label': label }, ...Object.entries(entries).map(([k, v]) => h('option', { value: k }, v)));
  select.value = value;
  linkSelect(select, key);
  return select;
};

const pct = (share: number, digits: number): string => (share * 100).toFixed(digits);

/** What a render shows under the maps besides the maps themselves. */
export interface MapsContext {
  half: { left: number; right: number };
  /** The composite an equal map was first given by, on this network. */
  same: SameAs | null;
  should: string | null;
  because: string;
}

/**
 * Explain's maps card: LRP with a composite beside a comparison method, both over the input with
 * the same overlay and scale; the menus and both opacity sliders are linked to the URL.
 */
export class ExplainMaps {
  private readonly rule = menu('explain-rule', 'LRP composite', RULES, 'deepTaylor', 'explain-composite');
  private readonly compare = menu('explain-compare', 'method to compare with', COMPARE, 'sensitivity', 'compare');
  private readonly lrp: HeatmapView;
  private readonly other: HeatmapView;
  private readonly shares = h('p', { class: 'muted', id: 'explain-shares' });
  private readonly lrpCaption = h('span', { class: 'muted', id: 'lrp-note' });
  private readonly compareNote = h('span', { class: 'muted', id: 'compare-note' });
  private readonly ruleNote = h('p', { class: 'muted', id: 'explain-rule-note', hidden: true });
  readonly el: HTMLElement;

  constructor(width: number, height: number) {
    this.lrp = new HeatmapView({ id: 'heatmap-deep-taylor', width, height, scale: 5 });
    this.other = new HeatmapView({ id: 'heatmap-sensitivity', width, height, scale: 5 });
    // Both overlays are part of the view a link reproduces.
    linkSlider(this.lrp.slider, 'explain-opacity');
    linkSlider(this.other.slider, 'compare-opacity');
    this.el = h(
      'div',
      { class: 'card explain-card' },
      h('h3', {}, 'Where the evidence is'),
      h(
        'div',
        { class: 'controls' },
        h('label', { for: 'explain-rule' }, 'composite'),
        this.rule,
        h('label', { for: 'explain-compare' }, 'compare with'),
        this.compare,
      ),
      this.ruleNote,
      h(
        'div',
        { class: 'maps' },
        h('div', { class: 'map' }, this.lrp.el, this.lrpCaption, this.shares),
        h('div', { class: 'map' }, this.other.el, this.compareNote),
      ),
    );
  }

  value(): { composite: string; compare: string } {
    return { composite: this.rule.value, compare: this.compare.value };
  }

  compareLabel(): string {
    return COMPARE[this.compare.value] ?? this.compare.value;
  }

  onChange(fn: () => void): void {
    this.rule.addEventListener('change', fn);
    this.compare.addEventListener('change', fn);
  }

  /** Marks the composites that give the same map as an earlier one on this network, with why. */
  markComposites(sameAs: ReadonlyMap<CompositeName, SameAs | null>): void {
    for (const option of this.rule.options) {
      const same = sameAs.get(option.value as CompositeName);
      option.textContent = same ? `${RULES[option.value]} (= ${same.as} here)` : (RULES[option.value] ?? option.value);
      option.title = same ? `same map as ${same.as}: ${same.reason}` : '';
    }
  }

  show(input: Float32Array, result: ExplainerRun, c: MapsContext): void {
    const rule = this.rule.value;
    const compare = this.compareLabel();
    this.lrpCaption.textContent = `LRP, composite ${rule}: Σ R should equal f(x)`;
    this.ruleNote.hidden = !c.same;
    this.ruleNote.textContent = c.same ? `${rule} gives the same map as ${c.same.as} on this network: ${c.same.reason}.` : '';
    this.compareNote.textContent = c.should
      ? `${compare}: Σ should equal ${c.should}`
      : `${compare}: Σ has no required value (${c.because})`;
    this.lrp.set(
      input,
      result.lrp,
      [0, 1],
      `LRP relevance map, composite ${rule}: ${pct(c.half.left, 0)}% of the positive relevance on the left digit, ${pct(c.half.right, 0)}% on the right`,
    );
    this.other.set(input, result.compare, [0, 1], `${compare} map of the same input`);
    this.shares.textContent = `positive relevance: left half ${pct(c.half.left, 1)}%, right half ${pct(c.half.right, 1)}%`;
  }
}
