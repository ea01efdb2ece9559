import { LogitlabError } from '@logitlab/core';

/** public/weights/gradcam-peaks.json is not what scripts/gradcam-peaks.mjs writes. */
export class GradCamPeaksError extends LogitlabError {
  constructor(message: string) {
    super(message);
    this.name = 'GradCamPeaksError';
  }
}

/** Where conv2 Grad-CAM peaks on held-out MNIST digits (shares in [0, 1]), as gradcam-peaks.mjs measured. */
export interface GradCamPeaks {
  digits: number;
  /** The upsampled map's peak pixel on ink: the page's placement, PyTorch's bilinear stretch, a random pixel. */
  peakOnInk: { page: number; pytorchBilinear: number; randomPixel: number };
  /** The peak cell's receptive-field centre on ink, against the share of all cells' centres on ink. */
  peakCellCentreOnInk: { conv1: number; conv1Chance: number; conv2: number; conv2Chance: number };
}

function share(json: unknown, section: string, key: string): number {
  const v = ((json as Record<string, unknown> | null)?.[section] as Record<string, unknown> | undefined)?.[key];
  if (typeof v !== 'number' || !(v >= 0 && v <= 1))
    throw new GradCamPeaksError(`gradcam-peaks.json ${section}.${key} is ${JSON.stringify(v)}, expected a share in [0, 1]`);
  return v;
}

/** Checks and decodes gradcam-peaks.json. Throws GradCamPeaksError naming the first field that is wrong. */
export function parseGradCamPeaks(json: unknown): GradCamPeaks {
  const digits = (json as Record<string, unknown> | null)?.digits;
  if (typeof digits !== 'number' || !Number.isInteger(digits) || digits < 1)
    throw new GradCamPeaksError(`gradcam-peaks.json digits is ${JSON.stringify(digits)}, expected a positive integer`);
  const s = (section: string, key: string) => share(json, section, key);
  return {
    digits,
    peakOnInk: {
      page: s('peakOnInk', 'page'),
      pytorchBilinear: s('peakOnInk', 'pytorchBilinear'),
      randomPixel: s('peakOnInk', 'randomPixel'),
    },
    peakCellCentreOnInk: {
      conv1: s('peakCellCentreOnInk', 'conv1'),
      conv1Chance: s('peakCellCentreOnInk', 'conv1Chance'),
      conv2: s('peakCellCentreOnInk', 'conv2'),
      conv2Chance: s('peakCellCentreOnInk', 'conv2Chance'),
    },
  };
}

const pct = (v: number) => `${Math.round(v * 100)}%`;

/**
 * Why the map's peak may sit beside the stroke, in the measured numbers: a conv2 cell sees 14 x 14 pixels,
 * and its peak cell is centred on ink about as often as any cell (conv1's cells, 5 x 5, follow the strokes).
 */
export function gradCamPeakNote(p: GradCamPeaks): string {
  const { peakOnInk: ink, peakCellCentreOnInk: cell } = p;
  const vsChance = cell.conv2 > cell.conv2Chance + 0.05 ? 'more often than' : 'about as often as';
  return (
    `Each conv2 cell sees 14 x 14 pixels, so the map shows regions, not strokes: on ${p.digits} held-out MNIST digits its peak ` +
    `lies on ink for ${pct(ink.page)} (PyTorch's stretched map ${pct(ink.pytorchBilinear)}, a random pixel ${pct(ink.randomPixel)}), ` +
    `and the peak cell is centred on ink ${vsChance} any cell (${pct(cell.conv2)} vs ${pct(cell.conv2Chance)}; ` +
    `conv1's 5 x 5 cells: ${pct(cell.conv1)} vs ${pct(cell.conv1Chance)}).`
  );
}

let peaks: Promise<GradCamPeaks | null> | null = null;

/** The shipped measurement, or null (logged) when the file is missing or malformed: the caption then leaves it out. */
export function gradCamPeaks(): Promise<GradCamPeaks | null> {
  peaks ??= fetch(`${import.meta.env.BASE_URL}weights/gradcam-peaks.json`)
    .then(async (res) => (res.ok ? parseGradCamPeaks(await res.json()) : null))
    .catch((e: Error) => {
      console.warn(`weights/gradcam-peaks.json not used: ${e.message}`);
      return null;
    });
  return peaks;
}
