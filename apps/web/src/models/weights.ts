import { loadSafetensorsInto, type Module } from '@logitlab/layers';

/** Where a model's current weights came from, shown as a badge next to every output. */
export type WeightSource = 'pretrained' | 'trained in page' | 'uploaded' | 'untrained';

const base = (): string => `${import.meta.env.BASE_URL}weights/`;

/** One shipped asset as described by public/weights/manifest.json. */
export interface WeightInfo {
  bytes: number;
  data: string;
  recipe: string;
  metrics: Record<string, number>;
}

let manifest: Promise<Map<string, WeightInfo>> | null = null;

/**
 * The shipped assets, from public/weights/manifest.json (written by make-weights.mjs). Asking the
 * manifest first means a missing asset costs no 404 in the console.
 */
export function shippedWeights(): Promise<Map<string, WeightInfo>> {
  manifest ??= fetch(`${base()}manifest.json`)
    .then(async (res) => {
      if (!res.ok) return new Map<string, WeightInfo>();
      const json = (await res.json()) as { files?: Record<string, WeightInfo> };
      return new Map(Object.entries(json.files ?? {}));
    })
    .catch(() => new Map<string, WeightInfo>());
  return manifest;
}

/** What make-weights.mjs measured for a model's shipped weights (null when none shipped). */
export async function weightInfo(id: string): Promise<WeightInfo | null> {
  return (await shippedWeights()).get(`${id}.safetensors`) ?? null;
}

/**
 * Fetches and loads a shipped weight asset. Returns false (never throws) when the asset is missing
 * or does not fit the model, so the caller can fall back to training in the page.
 */
export async function loadWeights(model: Module, id: string): Promise<boolean> {
  const file = `${id}.safetensors`;
  if (!(await shippedWeights()).has(file)) return false;
  try {
    const res = await fetch(`${base()}${file}`);
    if (!res.ok) return false;
    loadSafetensorsInto(model, await res.arrayBuffer());
    return true;
  } catch (e) {
    console.warn(`weights/${file} not loaded: ${(e as Error).message}`);
    return false;
  }
}
