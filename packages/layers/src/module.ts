import * as tf from '@tensorflow/tfjs-core';
import { moduleRepr, moduleSummary, type SummaryOptions } from './describe';
import { DisposedInputError, ModuleDisposedError, StateDictError } from './errors';
import { checkSingleCopy } from './single-copy';

/** Named tensors in PyTorch layout (`fc1.weight` is [out, in], conv weights are [out, in, kh, kw]). */
export type StateDict = Record<string, tf.Tensor>;

/**
 * A parameter or buffer as stored inside a module. `toTorch` / `fromTorch` convert between the
 * tfjs layout used for compute and PyTorch's layout used for state dicts (identity when absent).
 */
export interface Slot {
  value: tf.Variable;
  toTorch?: (t: tf.Tensor) => tf.Tensor;
  fromTorch?: (t: tf.Tensor) => tf.Tensor;
  /** Shape PyTorch uses for this entry (checked by loadStateDict). */
  torchShape: number[];
}

/**
 * A forward hook (zennit-style): while one is installed, every `Module.call` goes through it, so an
 * explanation can wrap chosen layers (e.g. in a `tf.customGrad` that back-propagates relevance) with
 * the model's own forward code unchanged. `forward` runs the module itself.
 */
export type ForwardHook = (module: Module, input: tf.Tensor, forward: (x: tf.Tensor) => tf.Tensor) => tf.Tensor;

// One slot, not a list: training calls `call` per layer per step, so the no-hook path is one null check.
let activeHook: ForwardHook | null = null;

/** Runs `fn` with `hook` installed around every `Module.call`, restoring the previous hook afterwards (also on throw). */
export function withForwardHook<T>(hook: ForwardHook, fn: () => T): T {
  const previous = activeHook;
  activeHook = hook;
  try {
    return fn();
  } finally {
    activeHook = previous;
  }
}

/** True while a forward hook is installed: forward code that bypasses `call` for speed must then go through `call`. */
export function forwardHookActive(): boolean {
  return activeHook !== null;
}

// Bumped whenever any module registers a parameter, buffer or child, or is disposed: a compiled step or
// forward compares this one number on every call instead of walking every module's parameters.
let structure = 0;

/** A number that changes whenever any module's parameter set may have changed (a registration, a dispose). */
export function moduleStructureVersion(): number {
  return structure;
}

/**
 * The micrograd-sized core: a Module knows its parameters, buffers, children and mode.
 * Activations are channels-last (NHWC, tfjs's native layout); state dicts use PyTorch's names and layouts.
 */
export abstract class Module {
  training = true;
  private readonly params = new Map<string, Slot>();
  private readonly bufs = new Map<string, Slot>();
  private readonly kids = new Map<string, Module>();
  private disposed = false;

  abstract forward(x: tf.Tensor): tf.Tensor;

  /** True once `dispose` ran: the module's tensors are gone and every use throws ModuleDisposedError. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Calls forward, through the installed forward hook if any (as torch's __call__ runs hooks). */
  call(x: tf.Tensor): tf.Tensor {
    if (this.disposed) throw new ModuleDisposedError(this.typeName, 'call');
    // checked here, once per call: deeper, tfjs fails with a message that names neither the layer nor
    // the input ("Tensor is disposed." or a missing backend)
    if (x.isDisposed) throw new DisposedInputError(this.typeName, `${x.dtype} [${x.shape.join(', ')}]`);
    return activeHook === null ? this.forward(x) : activeHook(this, x, (t) => this.forward(t));
  }

  protected registerParameter(name: string, value: tf.Tensor, layout: Omit<Slot, 'value'> = { torchShape: value.shape }): tf.Variable {
    checkSingleCopy();
    const v = tf.variable(value, true);
    value.dispose();
    structure++;
    this.params.set(name, { ...layout, value: v });
    return v;
  }

  protected registerBuffer(name: string, value: tf.Tensor, layout: Omit<Slot, 'value'> = { torchShape: value.shape }): tf.Variable {
    const v = tf.variable(value, false);
    value.dispose();
    structure++;
    this.bufs.set(name, { ...layout, value: v });
    return v;
  }

  protected registerModule<M extends Module>(name: string, child: M): M {
    this.kids.set(name, child);
    structure++;
    return child;
  }

  train(mode = true): this {
    this.training = mode;
    for (const child of this.kids.values()) child.train(mode);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  children(): [string, Module][] {
    return [...this.kids.entries()];
  }

  /** Every module below this one (itself first), with dotted names as PyTorch's named_modules. */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, child] of this.kids) out.push(...child.namedModules(prefix ? `${prefix}.${name}` : name));
    return out;
  }

  namedParameters(): [string, tf.Variable][] {
    return this.namedSlots('params').map(([k, s]) => [k, s.value]);
  }

  parameters(): tf.Variable[] {
    return this.namedParameters().map(([, v]) => v);
  }

  namedBuffers(): [string, tf.Variable][] {
    return this.namedSlots('bufs').map(([k, s]) => [k, s.value]);
  }

  numParameters(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  /** PyTorch-layout copies of every parameter and buffer; the caller owns (and disposes) them. */
  stateDict(): StateDict {
    if (this.disposed) throw new ModuleDisposedError(this.typeName, 'stateDict');
    const out: StateDict = {};
    for (const [key, slot] of [...this.namedSlots('params'), ...this.namedSlots('bufs')]) {
      out[key] = tf.tidy(() => (slot.toTorch ? slot.toTorch(slot.value) : slot.value.clone()));
    }
    return out;
  }

  /**
   * Copies a PyTorch-layout state dict into this module, all or nothing: names, values (live tensors of
   * a numeric dtype), shapes and the layout conversion are all checked and computed before the first
   * write, so a failed load changes nothing and throws a StateDictError. Dtypes are cast to the slot's
   * (PyTorch's copy_ casts too); non-finite values load as they are (PyTorch does not check them).
   * The dict's tensors stay owned by the caller.
   */
  loadStateDict(dict: StateDict, { strict = true }: { strict?: boolean } = {}): { missingKeys: string[]; unexpectedKeys: string[] } {
    // assigning into a disposed variable would quietly bring the model back (with two leaked tensors)
    if (this.disposed) throw new ModuleDisposedError(this.typeName, 'loadStateDict');
    if (typeof dict !== 'object' || dict === null || Array.isArray(dict)) {
      throw new StateDictError(
        `loadStateDict expects an object of named tensors, got ${dict === null ? 'null' : Array.isArray(dict) ? 'an array' : typeof dict}`,
      );
    }
    const slots = new Map([...this.namedSlots('params'), ...this.namedSlots('bufs')]);
    // own keys only: "constructor" or "__proto__" must not be found on Object.prototype
    const has = (k: string) => Object.prototype.hasOwnProperty.call(dict, k);
    const missingKeys = [...slots.keys()].filter((k) => !has(k));
    const unexpectedKeys = Object.keys(dict).filter((k) => !slots.has(k));
    if (strict && (missingKeys.length || unexpectedKeys.length)) {
      throw new StateDictError(
        `Error(s) in loading state dict: missing keys [${missingKeys.join(', ')}], unexpected keys [${unexpectedKeys.join(', ')}]`,
        missingKeys,
        unexpectedKeys,
      );
    }
    const problems: string[] = [];
    const present: [string, Slot, tf.Tensor][] = [];
    for (const [key, slot] of slots) {
      if (!has(key)) continue;
      const problem = checkValue(dict[key], slot.torchShape);
      if (problem) problems.push(`${key}: ${problem}`);
      else present.push([key, slot, dict[key] as tf.Tensor]);
    }
    if (problems.length) throw new StateDictError(`Error(s) in loading state dict: ${problems.join('; ')}`, missingKeys, unexpectedKeys);
    // every converted value exists before the first assign, so nothing is half-written if a conversion fails
    const converted: tf.Tensor[] = [];
    try {
      for (const [, slot, t] of present) {
        converted.push(
          tf.tidy(() => {
            const v = slot.fromTorch ? slot.fromTorch(t) : t.clone();
            return v.dtype === slot.value.dtype ? v : tf.cast(v, slot.value.dtype);
          }),
        );
      }
    } catch (e) {
      tf.dispose(converted);
      throw new StateDictError(
        `loadStateDict: converting ${present[converted.length]?.[0] ?? 'a tensor'} failed: ${(e as Error).message}`,
        missingKeys,
        unexpectedKeys,
      );
    }
    present.forEach(([, slot], i) => {
      const v = converted[i] as tf.Tensor;
      slot.value.assign(v);
      v.dispose();
    });
    return { missingKeys, unexpectedKeys };
  }

  /** The class name shown by toString / summary (PyTorch's `type(m).__name__`). */
  get typeName(): string {
    return this.constructor.name;
  }

  /** This module's own settings for toString, as PyTorch's `extra_repr` (e.g. `in_features=784, out_features=10, bias=True`). */
  extraRepr(): string {
    return '';
  }

  /** PyTorch's `repr(model)`: nested children with each layer's extra repr. Checkpoints record it as the architecture. */
  toString(): string {
    return moduleRepr(this);
  }

  /** A torchinfo-style table: each module with its own parameter count (and output shape, given `inputShape`), then totals. */
  summary(options: SummaryOptions = {}): string {
    return moduleSummary(this, options);
  }

  /** Frees every parameter and buffer of this module and its children; any later use throws ModuleDisposedError. Safe to call twice. */
  dispose(): void {
    for (const [, slot] of [...this.params, ...this.bufs]) slot.value.dispose();
    for (const child of this.kids.values()) child.dispose();
    this.disposed = true;
    structure++;
    // forward is each subclass's own method, so a direct `forward(x)` would reach the freed variables
    // (tfjs's "Cannot read properties of undefined (reading 'backend')"); an own property shadows it
    const typeName = this.typeName;
    Object.defineProperty(this, 'forward', {
      configurable: true,
      value: (): never => {
        throw new ModuleDisposedError(typeName, 'forward');
      },
    });
  }

  private namedSlots(which: 'params' | 'bufs', prefix = ''): [string, Slot][] {
    const out: [string, Slot][] = [];
    for (const [name, slot] of this[which]) out.push([prefix + name, slot]);
    for (const [name, child] of this.kids) out.push(...child.namedSlots(which, `${prefix}${name}.`));
    return out;
  }
}

const LOADABLE = new Set(['float32', 'int32', 'bool']);

/** Why a state-dict value cannot be loaded into a slot of this PyTorch shape, or undefined when it can. */
function checkValue(t: unknown, torchShape: readonly number[]): string | undefined {
  if (!(t instanceof tf.Tensor)) {
    const what =
      t === null ? 'null' : Array.isArray(t) ? 'an array' : typeof t === 'object' ? (t.constructor?.name ?? 'an object') : typeof t;
    return `expected a tf.Tensor, got ${what}`;
  }
  if (t.isDisposed) return 'the tensor is disposed';
  if (!LOADABLE.has(t.dtype)) return `dtype ${t.dtype} cannot be loaded (expected float32, int32 or bool)`;
  if (!sameShape(t.shape, torchShape))
    return `size mismatch: checkpoint has [${t.shape.join(', ')}], model expects [${torchShape.join(', ')}]`;
  return undefined;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
