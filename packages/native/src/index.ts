// Loads the addon compiled at install (build/Release/logitlab_native.node). Loading never throws: when
// the addon is missing or cannot load (no libdnnl.so.2 at run time, another architecture), the result
// says why in one line, and the apt line that fixes it.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type PlanOpLayout, planLayoutMismatch } from './plan-ops';

/** Activation codes the fused kernels apply in place (same formulas as tfjs-backend-cpu's). */
export const ACTIVATIONS = { linear: 0, relu: 1, relu6: 2, elu: 3, sigmoid: 4, leakyrelu: 5 } as const;
export type NativeActivation = keyof typeof ACTIVATIONS;
/** Binary op codes (tfjs kernel name -> code), same formulas as tfjs-backend-cpu's. */
export const BINARY = { Add: 0, Sub: 1, Multiply: 2, RealDiv: 3, SquaredDifference: 4 } as const;
/** Comparison codes (tfjs kernel name -> code); outputs are bool. */
export const COMPARE = { Greater: 0, GreaterEqual: 1, Less: 2, LessEqual: 3, Equal: 4, NotEqual: 5 } as const;
/** Unary op codes (tfjs kernel name -> code). */
export const UNARY = { Relu: 0, Step: 1, Neg: 2, Exp: 3, Tanh: 4, Square: 5, Sqrt: 6, Sigmoid: 7, Log: 8, Rsqrt: 9 } as const;

/** Fused gradient codes (tfjs forward kernel name -> code); each gives the stock tfjs gradient's bits. */
export const GRAD = { Tanh: 0, Sigmoid: 1, Relu: 2, SquaredDifference: 3 } as const;

/**
 * The addon's calling convention, bumped when an entry point's arguments change (2: shapes and geometry packed
 * into one Int32Array; 3: runPlan, a compiled step in one call; 4: convolutions, matMul and max pool only through
 * runPlan; 5: runOp, one instruction with its arrays as arguments, for every eager kernel, and no positional entry
 * points). An addon built from older sources reports another (or none) and is refused.
 */
export const ADDON_ABI = 5;

/** The one Debian line that makes the native backend build (with g++ and make, which most machines have). */
export const APT_INSTALL = 'apt-get install libdnnl-dev libopenblas-dev';

/** An array the addon reads or writes in place; null stands for an absent one. */
export type NativeBuffer = Float32Array | Int32Array | Uint8Array | Float64Array;

/**
 * Every kernel is an instruction in its PLAN_OPS layout: `[op, fieldCount, ...fields]`.
 * Conv geometry, NHWC activations and [kh, kw, ci, co] filters (also convImpl's argument, packed as [15, ...geom]):
 * [N, H, W, Ci, OH, OW, Co, KH, KW, strideH, strideW, dilationH, dilationW, padTop, padLeft].
 * Pool geometry: [N, H, W, C, OH, OW, KH, KW, strideH, strideW, dilationH, dilationW, padTop, padLeft].
 * Every output array is written in full; inputs are read only. All arrays are typed arrays used in place; sizes
 * and element types are checked against the instruction before it runs, so a wrong call throws (an Error whose
 * `code` is LOGITLAB_NATIVE_ARG, naming the op, the array and what was expected) instead of writing out of bounds.
 */
export interface NativeAddon {
  /** The calling convention it was built with (see ADDON_ABI). */
  readonly abi: number;
  /** oneDNN's implementation names for a geometry (forward, backward data, backward weights). */
  convImpl(geom: Int32Array): string;
  /** Threads for oneDNN / our loops (OpenMP) and OpenBLAS. */
  setThreads(threads: number): void;
  info(): { dnnl: string; openblas: string; threads: number; gemm?: string };
  /**
   * Runs one instruction (`code` = [op, fieldCount, ...fields], exactly one); its slot fields index `buffers`
   * (at most 15), each a whole array of the type PLAN_OPS declares for that field. The eager kernels' entry.
   */
  runOp(code: Int32Array, ...buffers: Array<NativeBuffer | null>): void;
  /**
   * Runs a compiled step's instructions (see PLAN_OPS) in one call. `slots` holds [buffer, byteOffset, bytes]
   * per slot; `buffers` are the arena and the step's external arrays (inputs, parameters updated in place).
   * Every instruction and slot range is checked before the first one runs: a malformed plan throws, writing nothing.
   */
  runPlan(code: Int32Array, slots: Int32Array, buffers: readonly NativeBuffer[]): void;
  /** The addon's own copy of PLAN_OPS (src/plan-layout.h), compared with this package's at load. */
  planLayout(): PlanOpLayout[];
}

export { PLAN_OPS, planLayoutMismatch, type PlanOpLayout, type PlanOpName } from './plan-ops';

export type NativeLoad = { ok: true; addon: NativeAddon; path: string } | { ok: false; reason: string; fix: string };

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
let cached: NativeLoad | undefined;

/** The addon, or why it is not there. Cached: the first call decides for the process. */
export function loadNative(): NativeLoad {
  if (cached) return cached;
  const file = path.join(root, 'build', 'Release', 'logitlab_native.node');
  const failed = path.join(root, 'build', 'BUILD_FAILED');
  if (!fs.existsSync(file)) {
    const reason = fs.existsSync(failed)
      ? fs.readFileSync(failed, 'utf8').trim()
      : 'the addon was not built (its install script did not run)';
    cached = { ok: false, reason, fix: `${APT_INSTALL}, then: pnpm rebuild @logitlab/native` };
    return cached;
  }
  try {
    const addon = createRequire(import.meta.url)(file) as NativeAddon;
    const mismatch = addon.abi === ADDON_ABI ? planLayoutMismatch(addon.planLayout()) : undefined;
    cached =
      addon.abi === ADDON_ABI && mismatch === undefined
        ? { ok: true, addon, path: file }
        : {
            ok: false,
            reason:
              mismatch ?? `the addon was built from older sources (calling convention ${addon.abi ?? 1}, this package needs ${ADDON_ABI})`,
            fix: 'pnpm rebuild @logitlab/native',
          };
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'load failed';
    cached = { ok: false, reason: `the addon does not load: ${reason}`, fix: APT_INSTALL };
  }
  return cached;
}
