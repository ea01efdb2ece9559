// Issue 20's matrix over fit's options: compiled and eager runs agree after 100 steps with every
// optimiser, scheduler, clipping mode, accumulation and weight-decay mode (cases.ts), on each backend.
import { OPTION_CASES } from './cases';
import { describeMatrix } from './harness';

describeMatrix('fit options, 100 steps', OPTION_CASES);
