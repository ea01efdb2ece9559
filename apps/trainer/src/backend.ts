import * as tf from '@tensorflow/tfjs-core';
import { BackendNotInstalledError, useBackend } from '@logitlab/backends';
import { UsageError } from './errors';
import type { BackendChoice } from './options';

export interface ActiveBackend {
  name: string;
  description: string;
}

/** Starts the requested backend; a missing backend package is the user's to install, so one clear line. */
export async function setupBackend(choice: BackendChoice, { threads }: { threads?: number } = {}): Promise<ActiveBackend> {
  quietTfjs();
  try {
    const info = await useBackend(choice, threads ? { threads } : undefined);
    const extras = [
      info.simd ? 'simd' : '',
      info.threads > 1 ? `${info.threads} threads` : '',
      info.adapter ? `${info.adapter.name}, ${info.adapter.type}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    return { name: info.name, description: `${info.name}${choice === 'auto' ? ' (auto)' : ''}${extras ? ` [${extras}]` : ''}` };
  } catch (err) {
    if (err instanceof BackendNotInstalledError) throw new UsageError(`--backend ${choice}: ${err.message}`, 1);
    throw err;
  }
}

/** A CLI, not a debugging session: no "install tfjs-node" banner, no per-op debug checks. */
export function quietTfjs(): void {
  tf.env().set('PROD', true);
}
