import { OnnxImportError } from '../errors';
import type { Const } from '../fold/value';
import { int64 } from './decode';
import { readTensor } from './tensor';
import type { NodeProto } from './types';

/** A node's attributes by name, read with the node named in every error. */
export class Attributes {
  private readonly byName: Map<string, NodeProto['attribute'][number]>;

  constructor(
    private readonly node: NodeProto,
    private readonly where: string,
  ) {
    this.byName = new Map(node.attribute.map((a) => [a.name, a]));
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  int(name: string, fallback?: number): number {
    const a = this.byName.get(name);
    if (!a) return this.missing(name, fallback);
    return int64(a.i, `attribute ${name}`, this.where);
  }

  /**
   * A float attribute. ONNX stores them as float32; the shortest decimal that rounds to the same float32
   * is the value the exporter was given (PyTorch's eps=1e-5 arrives as 9.99999974738e-06).
   */
  float(name: string, fallback?: number): number {
    const a = this.byName.get(name);
    if (!a) return this.missing(name, fallback);
    for (let digits = 1; digits <= 9; digits++) {
      const short = Number(a.f.toPrecision(digits));
      if (Math.fround(short) === a.f) return short;
    }
    return a.f;
  }

  ints(name: string, fallback?: number[]): number[] {
    const a = this.byName.get(name);
    if (!a) return this.missing(name, fallback);
    if (a.ints.length > 64) throw new OnnxImportError(`attribute ${name} has ${a.ints.length} entries, expected a handful`, this.where);
    return a.ints.map((v, i) => int64(v, `attribute ${name}[${i}]`, this.where));
  }

  string(name: string, fallback?: string): string {
    const a = this.byName.get(name);
    if (!a) return this.missing(name, fallback);
    return new TextDecoder().decode(a.s);
  }

  tensor(name: string): Const {
    const a = this.byName.get(name);
    if (!a?.t) throw new OnnxImportError(`attribute ${name} (a tensor) is missing`, this.where);
    return readTensor(a.t, this.where);
  }

  private missing<T>(name: string, fallback: T | undefined): T {
    if (fallback === undefined) throw new OnnxImportError(`required attribute ${name} is missing`, this.where);
    return fallback;
  }
}
