import { describe, expect, it } from 'vitest';
import { formatLinkedWeights, parseLinkedWeights, weightsHash } from './weights-hash';

const enc = (s: string) => new TextEncoder().encode(s);

describe('weights fingerprint for links', () => {
  it("is FNV-1a 32 (the reference's test vectors) and changes with any byte", () => {
    expect(weightsHash(enc(''))).toBe('811c9dc5');
    expect(weightsHash(enc('a'))).toBe('e40c292c');
    expect(weightsHash(enc('foobar'))).toBe('bf9cf968');
    const w = new Uint8Array(4096).map((_, i) => (i * 31) % 251);
    const other = w.slice();
    other[4000] = (other[4000] ?? 0) ^ 1;
    expect(weightsHash(w)).not.toBe(weightsHash(other));
  });

  it('round-trips id:hash pairs and drops unknown ids and malformed hashes, naming them', () => {
    const pairs = new Map([
      ['convnet-logits', '1a2b3c4d'],
      ['vae-0.5', '00000000'],
    ]);
    const raw = formatLinkedWeights(pairs) ?? '';
    expect(raw).toBe('convnet-logits:1a2b3c4d,vae-0.5:00000000');
    expect(parseLinkedWeights(raw, ['convnet-logits', 'vae-0.5'])).toEqual({ pairs, dropped: [] });
    expect(formatLinkedWeights(new Map())).toBeNull();
    const hostile = parseLinkedWeights(`nope:1a2b3c4d,convnet-logits:XYZ,convnet-logits,${'x'.repeat(100)}`, ['convnet-logits']);
    expect(hostile.pairs.size).toBe(0);
    expect(hostile.dropped).toEqual(['nope:1a2b3c4d', 'convnet-logits:XYZ', 'convnet-logits', `${'x'.repeat(40)}…`]);
  });
});
