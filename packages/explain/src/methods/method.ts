import type * as tf from '@tensorflow/tfjs-core';
import type { Attribution } from '../gradients';
import type { Session } from '../session';

/** One option a method reads from `ExplainOptions` (for the docs table, the CLI and the web's menus). */
export interface MethodOption {
  /** The `ExplainOptions` key. */
  readonly name: string;
  /** The default, as the docs show it ('32', '0.15 of x's range'); absent for a required option. */
  readonly default?: string;
  readonly meaning: string;
}

/**
 * What sum(relevance) should equal per sample (captum's convergence delta is reported against it):
 * the explained score f(x), f(x) - f(baseline), or nothing (the delta is reported against f(x) all
 * the same, and says how far the map is from an additive explanation).
 */
export type Conserves = 'score' | 'scoreDifference' | 'none';

export interface MethodAttribution extends Attribution {
  /** The LRP composite's name, for methods that have one. */
  readonly composite?: string;
}

/**
 * An attribution method, captum style: one file, one object, registered once (`registerMethod`);
 * `explain()` looks it up by name and adds targets, eval mode and the conservation report. `O` is the
 * slice of `ExplainOptions` it reads; `attribute` returns the relevance shaped like x, which the
 * caller disposes, and must leave no other tensor behind.
 */
export interface AttributionMethod<O extends object = object> {
  readonly name: string;
  /** Short human name (menus): 'integrated gradients'. */
  readonly label: string;
  /** One sentence for the docs table. */
  readonly summary: string;
  readonly options: readonly MethodOption[];
  readonly conserves: Conserves;
  attribute(session: Session, x: tf.Tensor, options: O): MethodAttribution;
  /**
   * The same attribution with every read of values awaited, for explainAsync on a backend without
   * synchronous reads. A method without it may read synchronously at x only (explainAsync reads the
   * scores there ahead); one that reads other inputs' values (a baseline's scores) needs it.
   */
  attributeAsync?(session: Session, x: tf.Tensor, options: O): Promise<MethodAttribution>;
}
