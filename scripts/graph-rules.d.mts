// Types of graph-rules.mjs (plain JS so check-graph.mjs runs in node without a build).
export type Tier = 'core' | 'base' | 'backend' | 'domain' | 'app';
export interface Workspace {
  dir: string;
  name: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
export const TIERS: Record<Tier, { uses: Tier[]; devUses: Tier[]; about: string }>;
export function tierOf(ws: Pick<Workspace, 'dir' | 'name'>): Tier;
export function declarationProblems(workspaces: readonly Workspace[], importsOf?: (ws: Workspace) => string[]): string[];
export function importsIn(text: string): string[];
export function internalsProblems(rel: string, text: string): string[];
