import type { BenchSettings } from '../settings.js';
import type { Stack } from '../stack/stack.js';
import type { BenchInputs } from './inputs.js';
import type { Check, Measurement } from './records.js';

/** What every scenario gets: the settings, the running stack, the inputs prepared once, and a place for checks. */
export interface BenchContext {
  settings: BenchSettings;
  stack: Stack;
  inputs: BenchInputs;
  checks: Check[];
  /** Every window measured so far in this run, in order. */
  measurements: Measurement[];
  log(message: string): void;
}
