// tfjs-backend-cpu prints "Hi, looks like you are running TensorFlow.js in Node.js ... install our node
// backend" on its first tensor write in Node. In this project that advice is wrong as often as not (wasm
// is the fast Node backend here; tfjs-node cannot download libtensorflow offline), and it lands in
// every user script and every test file, so @logitlab/backends turns it off at its only source: the
// cpu backend instance's `firstUse` flag. Nothing else about the backend or tfjs logging changes.
import * as tf from '@tensorflow/tfjs-core';

interface FirstUse {
  firstUse?: boolean;
}

const wrapped = new WeakSet<object>();

function quiet(backend: unknown): void {
  if (backend != null && typeof backend === 'object' && 'firstUse' in backend) (backend as FirstUse).firstUse = false;
}

/** Turns the banner off on one MathBackendCPU instance (or subclass, e.g. the native backend) and returns it. */
export function quietBackend<B extends object>(backend: B): B {
  quiet(backend);
  return backend;
}

/**
 * Silences the cpu backend's one-time "install tfjs-node" banner: on the instance if it exists, and
 * on every instance the registered factory makes later (tfjs builds backends lazily). Safe to call
 * any number of times; a no-op when tfjs-backend-cpu is not registered.
 */
export function quietCpuBanner(): void {
  const engine = tf.engine() as unknown as {
    registry: Record<string, unknown>;
    registryFactory: Record<string, { factory: () => unknown } | undefined>;
  };
  quiet(engine.registry.cpu);
  const entry = engine.registryFactory.cpu;
  if (!entry || wrapped.has(entry)) return;
  const make = entry.factory;
  entry.factory = () => {
    const backend = make();
    // the factory may return a promise (tfjs allows async factories); cpu's does not, but stay correct
    if (backend instanceof Promise) return backend.then((b: unknown) => (quiet(b), b));
    quiet(backend);
    return backend;
  };
  wrapped.add(entry);
}
