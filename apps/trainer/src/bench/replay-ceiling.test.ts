import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { replayCeiling } from './compiled';

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bench');
const results = ['bench-2threads-i.json', 'bench-2threads-j.json'].map((f) => path.join(benchDir, 'results', f));

describe('the replay ceiling', () => {
  it('is the eager ratio over the kernels share of the replay', () => {
    // 1.2x eager with 90% of the replay in kernels: a replay with no overhead at all reaches 1.2 / 0.9
    expect(replayCeiling(1.2, 9, 10)).toBeCloseTo(1.2 / 0.9, 12);
    expect(replayCeiling(1.5, 4, 4)).toBe(1.5);
    // no profile, or a profile whose kernels outlast the replay: no ceiling rather than a wrong one
    expect(replayCeiling(1.2, 0, 10)).toBeNaN();
    expect(replayCeiling(1.2, 11, 10)).toBeNaN();
  });

  it("is what the README's wasm sentence reports, computed from the committed result files", () => {
    const block = execFileSync(process.execPath, [path.join(benchDir, 'readme.mjs'), ...results], { encoding: 'utf8' });
    const sentence = block.split('\n').find((l) => l.startsWith('- `wasm` compiled against eager wasm')) ?? '';
    const reported = Object.fromEntries(
      [...(/would reach (.*?) \(kernel time/.exec(sentence)?.[1] ?? '').matchAll(/([\w-]+) ([\d.]+)x/g)].map((m) => [m[1], Number(m[2])]),
    );
    expect(new Set(Object.keys(reported))).toEqual(new Set(['bn-mlp', 'vae']));
    for (const name of ['vae', 'bn-mlp']) {
      const ceilings = results.map((f) => {
        const run = JSON.parse(fs.readFileSync(f, 'utf8')) as {
          workloads: Array<{ name: string; backend: string; compiled: Record<string, number> }>;
        };
        const c = run.workloads.find((x) => x.name === name && x.backend === 'wasm')!.compiled;
        return replayCeiling(c['eagerRatio']!, c['kernelMsPerStep']!, c['kernelMsPerStep']! + c['engineMsPerStep']!);
      });
      const geomean = Math.exp(ceilings.reduce((a, v) => a + Math.log(v), 0) / ceilings.length);
      expect(reported[name]).toBe(Number(geomean.toFixed(2)));
    }
  });
});
