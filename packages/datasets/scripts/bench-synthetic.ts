// Measures syntheticDigits throughput (images/s) in Node. Usage: pnpm --filter @logitlab/datasets bench
import { syntheticDigits } from '../src/index';

syntheticDigits({ count: 2000, seed: 0 }); // warm up the JIT
const count = 20000;
const t0 = performance.now();
syntheticDigits({ count, seed: 1 });
const seconds = (performance.now() - t0) / 1000;
console.log(`syntheticDigits: ${count} images in ${seconds.toFixed(2)} s = ${Math.round(count / seconds)} images/s`);
