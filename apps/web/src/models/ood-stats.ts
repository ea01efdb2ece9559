import { LogitlabError } from '@logitlab/core';
import type { InkRange, Reliability } from '../lib/ood';

/** public/weights/ood.json is not what scripts/make-ood.mjs writes. */
export class OodStatsError extends LogitlabError {
  constructor(message: string) {
    super(message);
    this.name = 'OodStatsError';
  }
}

/** What make-ood.mjs measured on one page's training inputs, for one model's shipped weights. */
export interface PageOodStats {
  /** The model (zoo id) whose features these are: they say nothing about other weights. */
  model: string;
  layer: string;
  ink: InkRange;
  /** Reference features, [count, dim] row-major, dequantised. */
  reference: Float32Array;
  dim: number;
  /** 99% of held-out inputs lie within this distance of a reference feature. */
  distance: number;
  /** Explain only: the answer threshold on f(x) and held-out correctness per bin of f(x). */
  threshold?: number;
  reliability?: Reliability;
}

export interface OodStats {
  /** Where the numbers come from, e.g. "MNIST t10k ... (9,000 train / 1,000 held out)". */
  data: string;
  classify: PageOodStats;
  explain: PageOodStats;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNums = (v: unknown): v is number[] => Array.isArray(v) && v.every(isNum);

function bytesOf(b64: string): Uint8Array {
  const s = atob(b64);
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

function page(json: unknown, key: string): PageOodStats {
  const p = (json as Record<string, unknown> | null)?.[key] as Record<string, unknown> | undefined;
  const fail = (what: string, v: unknown): never => {
    throw new OodStatsError(`ood.json ${key}.${what} is ${JSON.stringify(v)?.slice(0, 60)}, expected ${EXPECTED[what] ?? 'a value'}`);
  };
  if (typeof p !== 'object' || p === null) throw new OodStatsError(`ood.json has no '${key}' section, expected an object`);
  const ink = p.ink as Record<string, unknown> | undefined;
  if (!ink || !isNum(ink.low) || !isNum(ink.high) || ink.low > ink.high) fail('ink', p.ink);
  if (!Number.isInteger(p.dim) || (p.dim as number) < 1) fail('dim', p.dim);
  if (!isNum(p.scale) || p.scale <= 0) fail('scale', p.scale);
  if (!isNum(p.distance) || p.distance <= 0) fail('distance', p.distance);
  if (typeof p.model !== 'string' || typeof p.layer !== 'string') fail('model', p.model);
  let bytes: Uint8Array = new Uint8Array();
  try {
    bytes = bytesOf(String(p.reference));
  } catch {
    fail('reference', p.reference);
  }
  const dim = p.dim as number;
  if (bytes.length === 0 || bytes.length % dim !== 0) fail('reference', `${bytes.length} bytes`);
  const scale = p.scale as number;
  const out: PageOodStats = {
    model: p.model as string,
    layer: p.layer as string,
    ink: { low: ink!.low as number, high: ink!.high as number },
    reference: Float32Array.from(bytes, (b) => (b / 255) * scale),
    dim,
    distance: p.distance as number,
  };
  if (p.reliability !== undefined) {
    const r = p.reliability as Record<string, unknown>;
    const n = (r.edges as unknown[] | undefined)?.length ?? -1;
    if (!isNums(r.edges) || !isNums(r.n) || !isNums(r.right) || r.n.length !== n + 1 || r.right.length !== n + 1) fail('reliability', r);
    if (!isNum(p.threshold)) fail('threshold', p.threshold);
    out.reliability = { edges: r.edges as number[], n: r.n as number[], right: r.right as number[] };
    out.threshold = p.threshold as number;
  }
  return out;
}

const EXPECTED: Record<string, string> = {
  ink: '{ low, high } with low <= high',
  dim: 'a positive integer',
  scale: 'a positive number',
  distance: 'a positive number',
  model: 'names of the model and layer',
  reference: 'base64 bytes, a whole number of rows of dim',
  reliability: '{ edges, n, right } with one more count than edges',
  threshold: 'a number',
};

/** Checks and decodes ood.json. Throws OodStatsError naming the first field that is wrong. */
export function parseOodStats(json: unknown): OodStats {
  const data = (json as Record<string, unknown> | null)?.data;
  return { data: typeof data === 'string' ? data : 'unknown data', classify: page(json, 'classify'), explain: page(json, 'explain') };
}

let stats: Promise<OodStats | null> | null = null;

/** The shipped statistics, or null (logged) when the file is missing or malformed: the pages then say the check did not run. */
export function oodStats(): Promise<OodStats | null> {
  stats ??= fetch(`${import.meta.env.BASE_URL}weights/ood.json`)
    .then(async (res) => (res.ok ? parseOodStats(await res.json()) : null))
    .catch((e: Error) => {
      console.warn(`weights/ood.json not used: ${e.message}`);
      return null;
    });
  return stats;
}
