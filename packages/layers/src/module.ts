import * as tf from '@tensorflow/tfjs-core';
import { moduleRepr, moduleSummary, type SummaryOptions } from './describe';
import { StateDictError } from './errors';

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
 * The micrograd-sized core: a Module knows its parameters, buffers, children and mode.
 * Activations are channels-last (NHWC, tfjs's native layout); state dicts use PyTorch's names and layouts.
 */
export abstract class Module {
  training = true;
  private readonly params = new Map<string, Slot>();
  private readonly bufs = new Map<string, Slot>();
  private readonly kids = new Map<string, Module>();

  abstract forward(x: tf.Tensor): tf.Tensor;

  /** Calls forward (kept separate so subclasses can add hooks later, as torch's __call__ does). */
  call(x: tf.Tensor): tf.Tensor {
    return this.forward(x);
  }

  protected registerParameter(name: string, value: tf.Tensor, layout: Omit<Slot, 'value'> = { torchShape: value.shape }): tf.Variable {
    const v = tf.variable(value, true);
    value.dispose();
    this.params.set(name, { ...layout, value: v });
    return v;
  }

  protected registerBuffer(name: string, value: tf.Tensor, layout: Omit<Slot, 'value'> = { torchShape: value.shape }): tf.Variable {
    const v = tf.variable(value, false);
    value.dispose();
    this.bufs.set(name, { ...layout, value: v });
    return v;
  }

  protected registerModule<M extends Module>(name: string, child: M): M {
    this.kids.set(name, child);
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
    const out: StateDict = {};
    for (const [key, slot] of [...this.namedSlots('params'), ...this.namedSlots('bufs')]) {
      out[key] = tf.tidy(() => (slot.toTorch ? slot.toTorch(slot.value) : slot.value.clone()));
    }
    return out;
  }

  /**
   * Copies a PyTorch-layout state dict into this module. Shapes are checked before anything is
   * written, so a failed load changes nothing. The dict's tensors stay owned by the caller.
   */
  loadStateDict(dict: StateDict, { strict = true }: { strict?: boolean } = {}): { missingKeys: string[]; unexpectedKeys: string[] } {
    const slots = new Map([...this.namedSlots('params'), ...this.namedSlots('bufs')]);
    const missingKeys = [...slots.keys()].filter((k) => !(k in dict));
    const unexpectedKeys = Object.keys(dict).filter((k) => !slots.has(k));
    if (strict && (missingKeys.length || unexpectedKeys.length)) {
      throw new StateDictError(
        `Error(s) in loading state dict: missing keys [${missingKeys.join(', ')}], unexpected keys [${unexpectedKeys.join(', ')}]`,
        missingKeys,
        unexpectedKeys,
      );
    }
    const mismatched: string[] = [];
    for (const [key, slot] of slots) {
      const t = dict[key];
      if (t && !sameShape(t.shape, slot.torchShape)) {
        mismatched.push(`${key}: checkpoint has [${t.shape.join(', ')}], model expects [${slot.torchShape.join(', ')}]`);
      }
    }
    if (mismatched.length) throw new StateDictError(`Size mismatch in state dict: ${mismatched.join('; ')}`, missingKeys, unexpectedKeys);
    for (const [key, slot] of slots) {
      const t = dict[key];
      if (!t) continue;
      tf.tidy(() => {
        const v = slot.fromTorch ? slot.fromTorch(t) : t;
        slot.value.assign(v.dtype === slot.value.dtype ? v : tf.cast(v, slot.value.dtype));
      });
    }
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

  /** Frees every parameter and buffer of this module and its children. */
  dispose(): void {
    for (const [, slot] of [...this.params, ...this.bufs]) slot.value.dispose();
    for (const child of this.kids.values()) child.dispose();
  }

  private namedSlots(which: 'params' | 'bufs', prefix = ''): [string, Slot][] {
    const out: [string, Slot][] = [];
    for (const [name, slot] of this[which]) out.push([prefix + name, slot]);
    for (const [name, child] of this.kids) out.push(...child.namedSlots(which, `${prefix}${name}.`));
    return out;
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
