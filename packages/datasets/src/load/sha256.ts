/** SHA-256 hex digest via Web Crypto, available as globalThis.crypto.subtle in Node 20 and browsers. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new Error('sha256: globalThis.crypto.subtle is unavailable (a browser page served over plain http?)');
  const digest = await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
