import { on } from '../app';
import { formatLinkedWeights, parseLinkedWeights } from '../lib/weights-hash';
import { MODEL_IDS } from '../models/recipes';
import { adoptedWeights } from '../models/zoo';
import { readParam, writeParams } from './url';

/**
 * The `weights` URL parameter: a fingerprint of every model's adopted or uploaded weights (shipped
 * ones are left out: every browser has them). A link made with weights that live only in the
 * sender's browser reproduces its view but not its outputs; the receiver is told so, by model.
 */
export async function linkWeights(banner: HTMLElement): Promise<void> {
  const raw = readParam('weights');
  const local = await adoptedWeights();
  if (raw !== null) {
    const { pairs, dropped } = parseLinkedWeights(raw, MODEL_IDS);
    const missing = [...pairs].filter(([id, hash]) => local.get(id as (typeof MODEL_IDS)[number])?.hash !== hash);
    const lines = missing.map(([id, hash]) => {
      const own = local.get(id as (typeof MODEL_IDS)[number]);
      return `${id} (${hash}): this page uses ${own ? `your ${own.source} weights (${own.hash})` : 'the shipped weights'}`;
    });
    const said = [
      lines.length
        ? `This link was made with weights you do not have (trained or uploaded in the sender's browser), so outputs may differ: ${lines.join('; ')}.`
        : '',
      dropped.length ? `Part of its weights parameter was not understood, ignored: ${dropped.join(', ')}.` : '',
    ].filter((t) => t !== '');
    banner.textContent = said.join(' ');
    banner.hidden = said.length === 0;
  }
  await writeLinkedWeights();
  on('weights', () => void writeLinkedWeights());
}

/** The link describes this browser's weights from now on (a received link's claim has been checked). */
async function writeLinkedWeights(): Promise<void> {
  const now = await adoptedWeights();
  writeParams({ weights: formatLinkedWeights(new Map([...now].map(([id, w]) => [id, w.hash]))) });
}
