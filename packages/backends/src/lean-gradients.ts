// Gradients with fewer kernel calls than tfjs-core's, bitwise the same values. Registered over the stock
// configs (registerGradient replaces by kernel name), so they hold on every backend. Once kernels are
// fast, a training step's cost is its kernel calls: each is a dispatch, a tape entry and an output
// buffer (see the bench profile). Where a backend registers a fused gradient kernel (the native one
// does), the elementwise gradients are one call instead of three.
import {
  Multiply,
  Relu,
  Sigmoid,
  SquaredDifference,
  Sum,
  Tanh,
  backend_util,
  engine,
  getBackend,
  getKernel,
  registerGradient,
  util,
} from '@tensorflow/tfjs-core';
import { broadcastTo, cast, mul, reshape, scalar, square, step, sub, sum } from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';

/** Fused elementwise-gradient kernels a backend may register (inputs dy, a, b: float32, one shape). */
export const FUSED_GRAD_KERNELS = {
  Tanh: 'LogitlabTanhGrad',
  Sigmoid: 'LogitlabSigmoidGrad',
  Relu: 'LogitlabReluGrad',
  SquaredDifference: 'LogitlabSquaredDifferenceGrad',
} as const;

/** The fused kernel's output when the active backend has it and the arguments fit it, else null. */
function fused(kernel: string, dy: Tensor, a: Tensor, b?: Tensor): Tensor | null {
  if (getKernel(kernel, getBackend()) == null) return null;
  const fits = (t: Tensor) => t.dtype === 'float32' && util.arraysEqual(t.shape, dy.shape);
  if (!fits(dy) || !fits(a) || (b && !fits(b))) return null;
  return engine().runKernel(kernel, b ? { dy, a, b } : { dy, a }) as Tensor;
}

// tfjs: mul(dy, cast(b, 'float32')); the cast of a float32 tensor is a no-op kernel call
const float = (t: Tensor) => (t.dtype === 'float32' ? t : cast(t, 'float32'));

const multiplyGrad: GradConfig = {
  kernelName: Multiply,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved) => {
    const [a, b] = saved as [Tensor, Tensor];
    const outShape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const der = (self: Tensor, other: Tensor) => () => {
      const res = mul(dy as Tensor, float(other));
      const axes = backend_util.getReductionAxes(self.shape, outShape);
      return axes.length > 0 ? reshape(sum(res, axes), self.shape) : res;
    };
    return { a: der(a, b), b: der(b, a) };
  },
};

// tfjs: mul(reshape(dy), ones(x.shape)), which allocates and fills a ones tensor the size of x every step
const sumGrad: GradConfig = {
  kernelName: Sum,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as [Tensor];
    const expanded = x.shape.slice();
    for (const axis of util.parseAxisParam((attrs as NamedAttrMap & { axis: number | number[] }).axis, x.shape)) expanded[axis] = 1;
    return { x: () => broadcastTo(reshape(dy as Tensor, expanded), x.shape) };
  },
};

const tanhGrad: GradConfig = {
  kernelName: Tanh,
  outputsToSave: [true],
  gradFunc: (dy, saved) => {
    const [y] = saved as [Tensor];
    return { x: () => fused(FUSED_GRAD_KERNELS.Tanh, dy as Tensor, y) ?? mul(sub(scalar(1), square(y)), dy as Tensor) };
  },
};

const sigmoidGrad: GradConfig = {
  kernelName: Sigmoid,
  outputsToSave: [true],
  gradFunc: (dy, saved) => {
    const [y] = saved as [Tensor];
    return { x: () => fused(FUSED_GRAD_KERNELS.Sigmoid, dy as Tensor, y) ?? mul(dy as Tensor, mul(y, sub(scalar(1), y))) };
  },
};

const reluGrad: GradConfig = {
  kernelName: Relu,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved as [Tensor];
    return { x: () => fused(FUSED_GRAD_KERNELS.Relu, dy as Tensor, x) ?? mul(dy as Tensor, cast(step(x), 'float32')) };
  },
};

const squaredDifferenceGrad: GradConfig = {
  kernelName: SquaredDifference,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved) => {
    const [a, b] = saved as [Tensor, Tensor];
    const der = (p: Tensor, q: Tensor) => () =>
      fused(FUSED_GRAD_KERNELS.SquaredDifference, dy as Tensor, p, q) ?? mul(dy as Tensor, mul(scalar(2), sub(p, q)));
    return { a: der(a, b), b: der(b, a) };
  },
};

/** Registers the lean gradients over tfjs-core's (idempotent). */
export function registerLeanGradients(): void {
  for (const config of [multiplyGrad, sumGrad, tanhGrad, sigmoidGrad, reluGrad, squaredDifferenceGrad]) registerGradient(config);
}
