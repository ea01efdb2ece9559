// Starts the THREADED + SIMD build of tfjs-backend-wasm under Node. tfjs 4.22 blocks it three ways:
//  1. the flag WASM_HAS_MULTITHREAD_SUPPORT is hard-wired to false in Node (we set it: public flag API);
//  2. pthread workers are created from blob: URLs, which node:worker_threads rejects. We write the
//     worker script, patched to load the Emscripten factory from its real file, to a content-addressed
//     file in the temp dir, and for the duration of the backend's start only, URL.createObjectURL
//     answers that file's path for the worker Blob (tfjs calls it from inside its locateFile);
//  3. the C++ side caps XNNPACK's pool at logical cores / 2, read through os.cpus(); for the start only,
//     os.cpus() reports at least 2 x threads entries.
// Both patches are restored in `finally`, before any other code can run on the result.
// Emscripten ref()s a worker while it runs a pthread, and XNNPACK's pool threads never end, so the
// pool's workers are unref()ed once started: a script exits when its work is done, as with 1 thread.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { engine, env } from '@tensorflow/tfjs-core';
import type { WasmModule } from '../platform';
import { LogitlabError } from '@logitlab/core';
import { writeFileAtomicSync } from '@logitlab/core/node';

const WASM_OUT = '@tensorflow/tfjs-backend-wasm/wasm-out/';
const BLOB_BRANCH = 'var objectUrl=URL.createObjectURL(e.data.urlOrBlob);importScripts(objectUrl);URL.revokeObjectURL(objectUrl)';

export class WasmThreadsPatchError extends LogitlabError {
  override name = 'WasmThreadsPatchError';
  constructor(detail: string) {
    super(`Cannot enable wasm threads in Node: ${detail}. Expected @tensorflow/tfjs-backend-wasm 4.22.0; falling back to 1 thread.`);
  }
}

/** Writes (once) the patched pthread worker script and returns its path. */
export function workerScriptPath(): string {
  const require = createRequire(import.meta.url);
  const factoryFile = require.resolve(`${WASM_OUT}tfjs-backend-wasm-threaded-simd.js`);
  const { wasmWorkerContents } = require(`${WASM_OUT}tfjs-backend-wasm-threaded-simd.worker.js`) as { wasmWorkerContents: string };
  // tfjs escapes newlines the same way before it makes its Blob (the source holds "\n" in strings).
  const source = wasmWorkerContents.replace(/\n/g, '\\n');
  if (!source.includes(BLOB_BRANCH)) throw new WasmThreadsPatchError('the pthread worker script has an unexpected shape');
  const patched = source.replace(BLOB_BRANCH, `importScripts(${JSON.stringify(factoryFile)})`);
  const hash = createHash('sha256').update(patched).digest('hex').slice(0, 16);
  const file = path.join(os.tmpdir(), `logitlab-tfjs-wasm-worker-${hash}.cjs`);
  // Content-addressed: an existing file is reused only if it holds exactly our script.
  if (!existsSync(file) || readFileSync(file, 'utf8') !== patched) {
    // a cache file: no fsync, a torn file after a power cut fails the content check above and is rewritten
    writeFileAtomicSync(file, patched, { purpose: 'patched wasm worker script', fsync: false });
  }
  return file;
}

export async function startWasmWithThreads(wasm: WasmModule, threads: number, start: () => Promise<boolean>): Promise<boolean> {
  const workerFile = workerScriptPath();
  const createObjectURL = URL.createObjectURL;
  const cpus = os.cpus;
  URL.createObjectURL = (obj: Blob) =>
    obj instanceof Blob && obj.type === 'application/javascript' ? workerFile : createObjectURL.call(URL, obj);
  os.cpus = () => {
    const real = cpus();
    const out = [...real];
    while (out.length < 2 * threads && real.length > 0) out.push(...real);
    return out;
  };
  env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(threads);
  try {
    const started = await start();
    if (started) unrefWorkers();
    return started;
  } finally {
    URL.createObjectURL = createObjectURL;
    os.cpus = cpus;
  }
}

interface EmscriptenWorker {
  ref?: () => void;
  unref?: () => void;
}

/** Lets Node exit while wasm's pthread workers idle. */
function unrefWorkers(): void {
  const backend = engine().registry.wasm as unknown as
    { wasm?: { PThread?: { runningWorkers?: EmscriptenWorker[]; unusedWorkers?: EmscriptenWorker[] } } } | undefined;
  const pthread = backend?.wasm?.PThread;
  if (!pthread) return;
  for (const worker of [...(pthread.runningWorkers ?? []), ...(pthread.unusedWorkers ?? [])]) {
    // Emscripten ref()s a worker when its pthread starts, which can happen after this runs (the
    // worker finishes loading later); on these instances ref is a no-op, so they never hold Node open.
    worker.ref = () => {};
    worker.unref?.();
  }
}
