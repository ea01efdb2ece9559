import * as tf from '@tensorflow/tfjs-core';

/**
 * What describing needs of a module, structurally, so describe.ts and module.ts do not import each
 * other (Module implements it; `toString` and `summary` call in here).
 */
export interface Describable {
  readonly typeName: string;
  training: boolean;
  extraRepr(): string;
  children(): [string, Describable][];
  namedModules(): [string, Describable][];
  numParameters(): number;
  parameters(): readonly { readonly trainable: boolean; readonly size: number }[];
  call(x: tf.Tensor): tf.Tensor;
  eval(): unknown;
  train(mode?: boolean): unknown;
}

/**
 * PyTorch's `repr(model)`: the class name with its extra repr, children nested as `(name): ...`,
 * indented two spaces per level, e.g.
 * ```
 * Sequential(
 *   (0): Linear(in_features=784, out_features=10, bias=True)
 *   (1): ReLU()
 * )
 * ```
 */
export function moduleRepr(m: Describable): string {
  const extra = m.extraRepr();
  const kids = m.children();
  if (kids.length === 0) return `${m.typeName}(${extra})`;
  const lines = kids.map(([name, child]) => `  (${name}): ${moduleRepr(child).split('\n').join('\n  ')}`);
  if (extra) lines.unshift(`  ${extra}`);
  return `${m.typeName}(\n${lines.join('\n')}\n)`;
}

export interface SummaryOptions {
  /** Shape of one input batch (e.g. [1, 28, 28, 1]); with it, each module's output shape is listed (one forward pass in eval mode on zeros). */
  inputShape?: number[];
}

export interface SummaryRow {
  /** Dotted name as in namedModules ('' for the model itself). */
  name: string;
  type: string;
  /** Parameters owned directly by this module (not its children). */
  params: number;
  /** Output shape of this module's last call in the probe pass (with `inputShape`). */
  outputShape?: number[];
  depth: number;
}

/** Rows for every module (itself first), with output shapes when `inputShape` is given. */
export function summaryRows(model: Describable, { inputShape }: SummaryOptions = {}): SummaryRow[] {
  const modules = model.namedModules();
  const shapes = inputShape ? probeShapes(model, modules, inputShape) : new Map<Describable, number[]>();
  return modules.map(([name, m]) => {
    const own = m.numParameters() - m.children().reduce((n, [, c]) => n + c.numParameters(), 0);
    const row: SummaryRow = { name, type: m.typeName, params: own, depth: name ? name.split('.').length : 0 };
    const shape = shapes.get(m);
    if (shape) row.outputShape = shape;
    return row;
  });
}

function label(r: SummaryRow): string {
  return `${'  '.repeat(r.depth)}${r.name ? `${r.name.split('.').at(-1)} ` : ''}(${r.type})`;
}

/**
 * A table like torchinfo's: one line per module (indented by depth) with its output shape and its
 * own parameter count, then the totals. Parameter counts use PyTorch's shapes (the same numbers).
 */
export function moduleSummary(model: Describable, options: SummaryOptions = {}): string {
  const rows = summaryRows(model, options);
  const trainable = model
    .parameters()
    .filter((p) => p.trainable)
    .reduce((n, p) => n + p.size, 0);
  const total = model.numParameters();
  const cells = rows.map((r) => [
    label(r),
    r.outputShape ? `[${r.outputShape.join(', ')}]` : options.inputShape ? '-' : '',
    r.params.toLocaleString('en-US'),
  ]);
  const head = ['Layer (type)', options.inputShape ? 'Output shape' : '', 'Param #'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const fmt = (c: string[]) =>
    c
      .map((v, i) => (i === 2 ? v.padStart(widths[i] as number) : v.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  const rule = '='.repeat(widths.reduce((a, b) => a + b + 2, -2));
  return [
    rule,
    fmt(head),
    rule,
    ...cells.map(fmt),
    rule,
    `Total params: ${total.toLocaleString('en-US')}`,
    `Trainable params: ${trainable.toLocaleString('en-US')}`,
    `Non-trainable params: ${(total - trainable).toLocaleString('en-US')}`,
    rule,
  ].join('\n');
}

/**
 * Runs one eval-mode forward pass on zeros and records each module's output shape by wrapping the
 * instances' `call` for the duration (own properties, removed afterwards: no hook in Module itself).
 */
function probeShapes(model: Describable, modules: [string, Describable][], inputShape: number[]): Map<Describable, number[]> {
  const shapes = new Map<Describable, number[]>();
  const wasTraining = model.training;
  const patched: Describable[] = [];
  for (const [, m] of modules) {
    const original = m.call.bind(m);
    Object.defineProperty(m, 'call', {
      configurable: true,
      writable: true,
      value: (x: tf.Tensor) => {
        const y = original(x);
        shapes.set(m, [...y.shape]);
        return y;
      },
    });
    patched.push(m);
  }
  try {
    model.eval();
    tf.tidy(() => {
      model.call(tf.zeros(inputShape));
    });
  } finally {
    for (const m of patched) delete (m as unknown as Record<string, unknown>)['call'];
    model.train(wasTraining);
  }
  return shapes;
}

/** A number as Python's repr prints a float (1e-05, 0.1, 1.0), so extra reprs read like PyTorch's. */
export function pyFloat(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.0`;
  const a = Math.abs(v);
  const text = a < 1e-4 || a >= 1e16 ? v.toExponential() : String(v);
  return text.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** A (h, w) pair as PyTorch's pooling reprs print it: one number when both agree, else a tuple. */
export function pyPair([a, b]: readonly [number, number]): string {
  return a === b ? String(a) : `(${a}, ${b})`;
}

export function pyBool(v: boolean): string {
  return v ? 'True' : 'False';
}
