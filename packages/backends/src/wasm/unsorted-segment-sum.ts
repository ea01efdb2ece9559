// UnsortedSegmentSum for wasm (4.22.0 ships none); it is the gradient of tf.gather (embeddings, lookups).
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelArgs } from './kernel-util';

export function unsortedSegmentSum({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const x = inputs.x!;
  const ids = inputs.segmentIds!;
  const numSegments = attrs.numSegments as number;
  const inner = x.shape.slice(ids.shape.length);
  const innerSize = inner.reduce((a, b) => a * b, 1);
  const out = backend.makeOutput([numSegments, ...inner], x.dtype);
  const o = backend.typedArrayFromHeap(out);
  o.fill(0);
  const xv = backend.typedArrayFromHeap(x);
  const iv = backend.typedArrayFromHeap(ids);
  for (let i = 0; i < iv.length; i++) {
    const seg = iv[i]!;
    if (seg < 0 || seg >= numSegments) continue; // TensorFlow drops out-of-range ids
    for (let j = 0; j < innerSize; j++) o[seg * innerSize + j]! += xv[i * innerSize + j]!;
  }
  return out;
}
