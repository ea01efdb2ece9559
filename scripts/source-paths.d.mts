// Types of source-paths.mjs (plain JS so configs and check-graph.mjs load it without a build).
export function sourceEntries(options?: { browser?: boolean; root?: string }): { specifier: string; file: string }[];
export function tsconfigPaths(root?: string): Record<string, [string]>;
export function tsconfigProblem(root?: string): string | null;
export function sourceAliases(options?: { browser?: boolean; root?: string }): { find: RegExp; replacement: string }[];
