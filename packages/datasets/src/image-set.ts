/**
 * A set of grey images: pixels in [0, 1], row-major [count, height, width], white strokes on black
 * (the MNIST convention), with one integer label per image.
 */
export interface ImageSet {
  images: Float32Array;
  labels: Int32Array;
  count: number;
  height: number;
  width: number;
}
