import type { Module } from '@logitlab/layers';
import { OnnxImportError } from './errors';
import { Container } from './layers/container';

/**
 * The module path of a node from PyTorch's scoped node name: '/layer1/layer1.0/relu_1/Relu' ->
 * 'layer1.0.relu_1'. A scope that extends the one before it ('layer1' -> 'layer1.0', 'down' ->
 * 'down.0') replaces it; any other is appended. Unscoped names fall back to the operator's name.
 */
export function scopePath(nodeName: string, opType: string): string {
  const parts = nodeName.split('/').filter((p) => p.length > 0);
  if (parts.length > 1)
    parts.pop(); // the operator itself ('Relu', 'Conv')
  else parts.splice(0, parts.length, opType.toLowerCase());
  const path: string[] = [];
  for (const p of parts) {
    const prev = path.at(-1);
    if (prev !== undefined && p.startsWith(`${prev}.`)) path[path.length - 1] = p;
    else path.push(p);
  }
  return sanitize(path.join('.')) || opType.toLowerCase();
}

/** The layer path of a parameter initializer named '<path>.<param>' (PyTorch's state-dict key), or null. */
export function layerOf(initializer: string | undefined, param: string): string | null {
  if (!initializer?.endsWith(`.${param}`)) return null;
  const path = initializer.slice(0, -param.length - 1);
  return sanitize(path) === path && path.length > 0 ? path : null;
}

/** Dotted segments of [A-Za-z0-9_-] only: a hostile name cannot reach Object.prototype or make empty keys. */
function sanitize(path: string): string {
  return path
    .split('.')
    .map((s) => s.replace(/[^A-Za-z0-9_-]/g, '_'))
    .filter((s) => s.length > 0 && s !== '__proto__' && s !== 'constructor' && s !== 'prototype')
    .join('.');
}

/** The module tree being built: places layers at dotted paths, creating the containers between. */
export class ModuleTree {
  readonly root = new Container('');
  private readonly taken = new Map<string, 'leaf' | 'container'>();
  /** Paths the initializers' names claim ('layer1.0.conv1' for 'layer1.0.conv1.weight') and the containers above them. */
  private readonly reserved = new Set<string>();
  private readonly containers = new Map<string, Container>([['', this.root]]);

  /**
   * Claims the paths of the layers the initializers name before any layer is placed, so that an
   * operator without parameters scoped to a module ('/layer1/layer1.0/Add', a functional add in a
   * block) never takes a path a later layer with parameters needs: it goes below it ('layer1.0.add').
   */
  reserve(initializers: Iterable<string>): void {
    for (const name of initializers) {
      const segs = name.split('.');
      for (let i = 1; i < segs.length; i++) this.reserved.add(segs.slice(0, i).join('.'));
    }
  }

  /** True when `path` can hold a layer: not taken, no layer above it, nothing below it (nor claimed, unless `claimed` may be used). */
  free(path: string, claimed = false): boolean {
    if (this.taken.has(path) || (!claimed && this.reserved.has(path))) return false;
    const segs = path.split('.');
    for (let i = 1; i < segs.length; i++) if (this.taken.get(segs.slice(0, i).join('.')) === 'leaf') return false;
    return true;
  }

  /** A free path for a layer: a parameter layer's own path, else the scope, then `scope.op`, then `_1`, `_2`... suffixes. */
  unique(path: string, { claimed = false, op = 'op' }: { claimed?: boolean; op?: string } = {}): string {
    if (this.free(path, claimed)) return path;
    const below = `${path}.${op.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;
    const base = claimed || this.taken.get(path) === 'leaf' ? path : below;
    if (this.free(base, claimed)) return base;
    for (let k = 1; k < 1_000_000; k++) if (this.free(`${base}_${k}`, claimed)) return `${base}_${k}`;
    throw new OnnxImportError(`no free module name for '${path}'`);
  }

  private readonly paths = new Map<Module, string>();

  pathOf(layer: Module): string {
    const p = this.paths.get(layer);
    if (p === undefined) throw new OnnxImportError('internal: a layer was used before it was placed');
    return p;
  }

  place<M extends Module>(path: string, layer: M): M {
    if (!this.free(path, true)) throw new OnnxImportError(`two layers claim the module path '${path}'`);
    const segs = path.split('.');
    let parent = this.root;
    for (let i = 1; i < segs.length; i++) {
      const prefix = segs.slice(0, i).join('.');
      let c = this.containers.get(prefix);
      if (!c) {
        c = parent.add(segs[i - 1]!, new Container(prefix));
        this.containers.set(prefix, c);
        this.taken.set(prefix, 'container');
      }
      parent = c;
    }
    this.taken.set(path, 'leaf');
    this.paths.set(layer, path);
    return parent.add(segs.at(-1)!, layer);
  }
}
