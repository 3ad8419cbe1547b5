import type { LoadResult } from '../load/load-result.js';
import type { LoadScenarioId, ScenarioId } from '../settings.js';

/** Time to cut-off: one series of measured cut-offs (milliseconds each). */
export interface CutoffMeasurement {
  /** What was measured, in words. */
  name: string;
  /** Each cut-off: from the admin's API call to the first tool call refused, milliseconds. */
  samplesMs: number[];
  medianMs: number;
  p99Ms: number;
  maxMs: number;
  notes: string[];
}

/** One measured window: a scenario at one concurrency. */
export interface Measurement {
  scenario: LoadScenarioId;
  concurrency: number;
  load: LoadResult;
  /** Peak RSS in bytes of each server process the scenario drives, during the measured window. */
  peakRssBytes: Record<string, number>;
  /** CPU time of each of those processes during the window (user + system, all threads), in milliseconds. */
  cpuMs: Record<string, number>;
  /** CPU time of each process's main thread during the window, in milliseconds (Linux only). */
  mainThreadCpuMs: Record<string, number>;
  /**
   * Full runs: the bound's windows at the same concurrency right before and right after this one. The ratios to the
   * bound divide by their mean.
   */
  bracket?: { before: Measurement; after: Measurement };
  notes: string[];
}

/** A correctness check made during a run (single use of ID-JAGs, the tool answering); a failed one fails the run. */
export interface Check {
  scenario: ScenarioId;
  name: string;
  passed: boolean;
  detail: string;
}
