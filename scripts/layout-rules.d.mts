// Types of layout-rules.mjs (plain JS so check-graph.mjs runs in node without a build).
export interface Edge {
  from: string;
  spec: string;
  target: string | null;
  pkg: { dir: string; name: string; subpathDirs?: string[] } | null;
}
export function sourceImports(text: string): string[];
export function resolveRelative(rel: string, spec: string, exists: (rel: string) => boolean): string | null;
export function findCycles(graph: Map<string, Set<string>>): string[][];
export const BACK_ARROWS: { why: string; matches: (edge: Edge) => boolean }[];
export function backArrowProblems(edge: Edge): string[];
