/**
 * The names the CLI offers, read from the registries that define them, on first use: the CLI imports
 * no workspace package at startup (see cli.ts), so `buildProgram` asks for these only when a command
 * that needs them is about to parse its flags.
 */
export interface Registries {
  /** @logitlab/explain's registered attribution methods. */
  methods: readonly string[];
  /** @logitlab/explain's named LRP composites. */
  composites: readonly string[];
}

export async function loadRegistries(): Promise<Registries> {
  const explain = await import('@logitlab/explain');
  return { methods: explain.methodNames(), composites: explain.compositeNames };
}
