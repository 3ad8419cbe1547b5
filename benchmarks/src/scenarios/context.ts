import type { BenchSettings } from '../settings.js';
import type { AppStack } from '../stack/stack.js';
import type { BenchInputs } from './inputs.js';
import type { Check, Measurement } from './records.js';

/**
 * What every scenario gets: the settings, the running stack, the inputs prepared once, and a place for checks. A
 * scenario of our own servers takes any stack (`AppStack`); one that measures a peer asks for `BenchContext<Stack>`.
 */
export interface BenchContext<S extends AppStack = AppStack> {
  settings: BenchSettings;
  stack: S;
  inputs: BenchInputs;
  checks: Check[];
  /** Every window measured so far in this run, in order. */
  measurements: Measurement[];
  log(message: string): void;
}
