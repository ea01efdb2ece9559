// @ts-check
// Runs inside the page (page.evaluate serialises it, so it imports nothing): the max-pool gradient of the
// page's active backend on tied inputs against PyTorch's rule, a window's gradient to its FIRST maximum in
// row-major window order (padding and NaN never win; a window of -Infinity only routes nothing). The same
// cases and rule as packages/backends/src/max-pool-ties.test.ts, which runs them on every Node backend;
// webgl exists only in a browser, so its kernel is checked here.

/** @returns {Promise<{ backend: string, ties: number, leaked: number, errors: string[] }>} */
export async function maxPoolTieCheck() {
  const { tf } = /** @type {any} */ (window).logitlab;
  /** @type {Array<[number[], number, number, 'valid' | 'same']>} */
  const cases = [
    [[2, 8, 8, 3], 2, 2, 'valid'],
    [[2, 9, 9, 3], 2, 2, 'valid'],
    [[2, 9, 9, 3], 3, 2, 'same'],
    [[2, 7, 8, 3], 3, 1, 'valid'],
    [[2, 6, 6, 3], 2, 2, 'same'],
  ];
  /** @type {string[]} */
  const errors = [];
  let ties = 0;
  const before = tf.memory().numTensors;
  for (const [shape, size, stride, pad] of cases) {
    const [n, h, w, ch] = /** @type {[number, number, number, number]} */ (shape);
    // a drawing's three levels (background, stroke, edge), one negative channel, NaN and infinities
    const xv = new Float32Array(n * h * w * ch);
    let seed = 7;
    for (let i = 0; i < xv.length; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const level = seed % 5 < 3 ? 0 : seed % 5 === 3 ? 1 : 0.5;
      xv[i] = i % ch === ch - 1 ? -0.42 - level : level * 2.82 - 0.42;
    }
    const at = (/** @type {number} */ b, /** @type {number} */ r, /** @type {number} */ c, /** @type {number} */ d) =>
      ((b * h + r) * w + c) * ch + d;
    xv[at(1, 0, 1, 0)] = Number.NaN;
    for (const [r, c] of /** @type {Array<[number, number]>} */ ([
      [2, 2],
      [2, 3],
      [3, 2],
      [3, 3],
    ]))
      xv[at(1, r, c, 1)] = Number.NEGATIVE_INFINITY;
    xv[at(1, 4, 5, 0)] = Number.POSITIVE_INFINITY;

    const x = tf.tensor4d(xv, shape);
    const [dy, g] = tf.tidy(() => {
      const y = tf.maxPool(x, size, stride, pad);
      const weights = tf.linspace(1, 2, y.size).reshape(y.shape);
      return [weights, tf.grad((/** @type {any} */ t) => tf.maxPool(t, size, stride, pad).mul(weights).sum())(x)];
    });
    const dx = await g.data();
    const dyv = await dy.data();
    tf.dispose([x, dy, g]);

    // the reference, with tfjs's geometry for 'same' padding
    const c = tf.backend_util.computePool2DInfo(shape, size, stride, 1, pad);
    const expected = new Float64Array(xv.length);
    let o = 0;
    for (let b = 0; b < n; b++)
      for (let oh = 0; oh < c.outHeight; oh++)
        for (let ow = 0; ow < c.outWidth; ow++)
          for (let d = 0; d < ch; d++, o++) {
            let best = Number.NEGATIVE_INFINITY;
            let arg = -1;
            let count = 0;
            for (let wr = 0; wr < size; wr++)
              for (let wc = 0; wc < size; wc++) {
                const r = oh * stride - c.padInfo.top + wr;
                const col = ow * stride - c.padInfo.left + wc;
                if (r < 0 || r >= h || col < 0 || col >= w) continue;
                const i = at(b, r, col, d);
                const v = /** @type {number} */ (xv[i]);
                if (v > best) {
                  best = v;
                  arg = i;
                  count = 1;
                } else if (v === best) count++;
              }
            if (arg >= 0) expected[arg] = /** @type {number} */ (expected[arg]) + dyv[o];
            if (count > 1) ties++;
          }
    expected.forEach((e, i) => {
      if (!(Math.abs(dx[i] - e) <= 1e-5)) errors.push(`x ${shape}, ${size}/${stride} ${pad}: dx[${i}] = ${dx[i]}, expected ${e}`);
    });
  }
  return { backend: tf.getBackend(), ties, leaked: tf.memory().numTensors - before, errors };
}
