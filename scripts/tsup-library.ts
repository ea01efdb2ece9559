import type { Options } from 'tsup';

/** Shared tsup settings: ESM + CJS + declarations for every published package. */
export function libraryConfig(overrides: Options = {}): Options {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'es2022',
    platform: 'neutral',
    splitting: false,
    treeshake: true,
    // test files never ship
    ...overrides,
  };
}
