import * as tf from '@tensorflow/tfjs-core';
import type { Module } from './module';
import { loadSafetensors, saveSafetensors, type SafetensorsMetadata } from './safetensors';

/** A module's state dict as safetensors bytes (the exported copies are freed). */
export function moduleToSafetensors(module: Module, metadata?: SafetensorsMetadata): Uint8Array {
  const dict = module.stateDict();
  try {
    return saveSafetensors(dict, metadata);
  } finally {
    tf.dispose(Object.values(dict));
  }
}

/** Loads safetensors bytes into a module (strict by default) and frees the decoded tensors. */
export function loadSafetensorsInto(
  module: Module,
  bytes: Uint8Array | ArrayBuffer,
  { strict = true }: { strict?: boolean } = {},
): { missingKeys: string[]; unexpectedKeys: string[]; metadata: SafetensorsMetadata } {
  const { tensors, metadata } = loadSafetensors(bytes);
  try {
    return { ...module.loadStateDict(tensors, { strict }), metadata };
  } finally {
    tf.dispose(Object.values(tensors));
  }
}
