/**
 * A short fingerprint of a weights file (FNV-1a, 32 bits, as 8 hex digits), for the shared URL: it
 * only has to tell "the sender's weights" from "other weights", not resist forgery, and it needs no
 * crypto.subtle (absent outside secure contexts, e.g. a page served over plain http on a LAN).
 */
export function weightsHash(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i] ?? 0;
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** `id:hash` pairs as the `weights` URL parameter holds them ("convnet-logits:1a2b3c4d,vae-mlp:…"). */
export function formatLinkedWeights(pairs: ReadonlyMap<string, string>): string | null {
  return pairs.size ? [...pairs].map(([id, hash]) => `${id}:${hash}`).join(',') : null;
}

/**
 * The `weights` parameter of a link, keeping only known model ids with well-formed hashes; what it
 * drops is returned too, so the page can say that part of the link was not understood.
 */
export function parseLinkedWeights(raw: string, known: readonly string[]): { pairs: Map<string, string>; dropped: string[] } {
  const pairs = new Map<string, string>();
  const dropped: string[] = [];
  for (const part of raw.split(',').filter((p) => p !== '')) {
    const m = /^([\w.-]+):([0-9a-f]{8})$/.exec(part);
    if (m && known.includes(m[1] ?? '')) pairs.set(m[1] ?? '', m[2] ?? '');
    else dropped.push(part.length > 40 ? `${part.slice(0, 40)}…` : part);
  }
  return { pairs, dropped };
}
