import type { ConvNetHead } from '@logitlab/models';
import { HEADS } from '../models/recipes';
import { readParam, writeParams } from './url';

/** The class Classify explains: a head, and a pinned digit or null for that head's top prediction. */
export interface Target {
  head: ConvNetHead;
  digit: number | null;
}

/**
 * The class Classify explains, kept in the URL (`head`, `target`): a pressed bar pins a head's class;
 * releasing it returns to that head's top prediction. A link's head or class that is not one of the
 * page's falls back to the logits head's prediction.
 */
export class PinnedTarget {
  target: Target;

  constructor() {
    const head = readParam('head') as ConvNetHead | null;
    const t = Number(readParam('target'));
    this.target = {
      head: head && HEADS.includes(head) ? head : 'logits',
      digit: Number.isInteger(t) && t >= 0 && t <= 9 && readParam('target') !== null ? t : null,
    };
  }

  get pinned(): boolean {
    return this.target.digit !== null;
  }

  pin(head: ConvNetHead, digit: number): void {
    this.target = { head, digit };
    writeParams({ head, target: String(digit) });
  }

  /** Back to explaining the head's top prediction; false when nothing was pinned. */
  release(): boolean {
    if (!this.pinned) return false;
    this.target = { head: this.target.head, digit: null };
    writeParams({ target: null });
    return true;
  }
}
