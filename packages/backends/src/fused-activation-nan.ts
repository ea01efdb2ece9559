// The fused conv2d, depthwise conv2d and matMul kernels of wasm (XNNPACK's output clamp) and webgpu (its
// `a < 0` select, which llvmpipe evaluates as if NaN did not exist) apply relu and relu6 with min/max
// instructions that turn NaN into 0, so relu(NaN) was 0 inside a fused layer but NaN outside it and on
// cpu and in PyTorch. A diverged model's NaN then vanished before fit's NaN check read the loss. The
// wrapper runs the stock kernel with no activation (bias still fused) and then the backend's own Relu or
// Relu6 kernel, which keeps NaN on both (ours where the stock one does not). Other activations keep NaN
// in the stock kernels and pass straight through.
import { getKernel } from '@tensorflow/tfjs-core';
import type { KernelBackend, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { LogitlabError } from '@logitlab/core';

/** The fused kernels whose `activation` attribute the wrapper splits off. */
export const FUSED_KERNELS = ['FusedConv2D', 'FusedDepthwiseConv2D', '_FusedMatMul'] as const;

// the fused activations whose stock epilogue drops NaN, and the unfused kernel that keeps it
const SPLIT: Record<string, string> = { relu: 'Relu', relu6: 'Relu6' };

export class MissingActivationKernelError extends LogitlabError {
  override name = 'MissingActivationKernelError';
  constructor(kernelName: string, backendName: string) {
    super(
      `The ${backendName} backend has no '${kernelName}' kernel to apply a fused activation with; expected its tfjs 4.22.0 backend to be loaded.`,
    );
  }
}

interface Args {
  inputs: Record<string, TensorInfo>;
  backend: KernelBackend;
  attrs?: NamedAttrMap;
}

/** `stock` with relu and relu6 applied by the backend's unfused kernel, so that NaN stays NaN. */
export function keepNanInFusedActivation(stock: KernelFunc, backendName: string): KernelFunc {
  const wrapped = (args: Args): TensorInfo => {
    const activation = SPLIT[String(args.attrs?.['activation'])];
    if (activation === undefined) return stock(args as never) as TensorInfo;
    const config = getKernel(activation, backendName);
    if (config == null) throw new MissingActivationKernelError(activation, backendName);
    const linear = stock({ ...args, attrs: { ...args.attrs, activation: 'linear' } } as never) as TensorInfo;
    const out = config.kernelFunc({ inputs: { x: linear }, backend: args.backend, attrs: {} } as never) as TensorInfo;
    args.backend.disposeData(linear.dataId);
    return out;
  };
  return wrapped as unknown as KernelFunc;
}
