// Shapes and geometry go to the addon packed into one off-heap Int32Array. A typed array of <= 64 bytes
// lives on V8's heap, and N-API's napi_get_typedarray_info moves it off the heap on every call: three fresh
// Int32Array shapes made a 256-element Multiply 1.7 us instead of 0.6 (measured). An ArrayBuffer made with
// `new ArrayBuffer` is always off-heap, and reusing one means no allocation at all.
const SCRATCH = new Int32Array(new ArrayBuffer(4 * 256));

/**
 * `lists` as the addon reads them (packages/native/src/common.h intLists): their lengths, then their entries.
 * Returns a shared array, valid until the next call: pass it straight to the addon.
 */
export function packInts(...lists: ReadonlyArray<readonly number[]>): Int32Array {
  let n = lists.length;
  for (const list of lists) n += list.length;
  const out = n <= SCRATCH.length ? SCRATCH : new Int32Array(new ArrayBuffer(4 * n));
  let at = lists.length;
  for (let i = 0; i < lists.length; i++) {
    const list = lists[i]!;
    out[i] = list.length;
    for (let j = 0; j < list.length; j++) out[at++] = list[j]!;
  }
  return out;
}
