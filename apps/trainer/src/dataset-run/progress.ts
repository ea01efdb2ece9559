import type { DatasetProgress } from '@logitlab/explain';
import { formatDuration } from '../progress';

interface Stream {
  isTTY?: boolean;
  write(text: string): unknown;
}

function text(p: DatasetProgress): string {
  return `${p.done}/${p.total} images | ${p.imagesPerSecond.toFixed(1)} images/s | eta ${formatDuration(p.etaSeconds)}`;
}

/**
 * Progress of a dataset run: a bar redrawn in place on a terminal, and in logs (Kubernetes, CI) one
 * line each time another 10% is done, so a 10,000-image run logs 10 lines, not 10,000.
 */
export function datasetProgress(label: string, stream: Stream = process.stderr): { update(p: DatasetProgress): void; end(): void } {
  let lastDecile = 0;
  let drawn = false;
  return {
    update(p) {
      if (stream.isTTY) {
        const width = 24;
        const filled = p.total > 0 ? Math.round((width * p.done) / p.total) : width;
        stream.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${text(p)}\u001b[K`);
        drawn = true;
        return;
      }
      const decile = p.total > 0 ? Math.floor((10 * p.done) / p.total) : 10;
      if (decile > lastDecile) {
        lastDecile = decile;
        stream.write(`${label} ${decile * 10}%: ${text(p)}\n`);
      }
    },
    end() {
      if (drawn) stream.write('\n');
    },
  };
}
