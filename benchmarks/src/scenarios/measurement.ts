import type { RunningProcess } from '@ema/stack';
import type { AutocannonLoad } from '../load/autocannon-load.js';
import { runAutocannon } from '../load/autocannon-load.js';
import type { LoadResult } from '../load/load-result.js';
import type { ScenarioId } from '../settings.js';
import { type ProcessUsage, startPeakRss } from '../stack/peak-rss.js';
import type { BenchContext } from './context.js';

/** One measured window: a scenario at one concurrency. */
export interface Measurement {
  scenario: ScenarioId;
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

/** The measured window's size: a duration (full run) or a fixed number of requests (smoke run). */
export function windowSize(context: BenchContext): { durationSeconds: number } | { amount: number } {
  const amount = context.settings.requestsPerWindow;
  return amount === undefined ? { durationSeconds: context.settings.durationSeconds } : { amount };
}

/**
 * Runs `warmup` (unmeasured), then `run` while watching the peak RSS of `processes`. Both see the same server
 * state: nothing restarts in between.
 */
export async function measureWindow(
  processes: readonly RunningProcess[],
  warmup: (() => Promise<unknown>) | undefined,
  run: () => Promise<LoadResult>,
): Promise<{ load: LoadResult } & ProcessUsage> {
  if (warmup) await warmup();
  const probe = startPeakRss(processes);
  const load = await run();
  return { load, ...probe.stop() };
}

/** A plain autocannon scenario: the same request over and over, warm-up then the measured window. */
export async function measureAutocannon(
  context: BenchContext,
  scenario: ScenarioId,
  concurrency: number,
  processes: readonly RunningProcess[],
  load: Omit<AutocannonLoad, 'connections' | 'durationSeconds' | 'amount'>,
): Promise<Measurement> {
  const warmupSeconds = context.settings.warmupSeconds;
  const { load: result, ...usage } = await measureWindow(
    processes,
    warmupSeconds > 0
      ? () => runAutocannon({ ...load, connections: concurrency, durationSeconds: warmupSeconds })
      : undefined,
    () => runAutocannon({ ...load, connections: concurrency, ...windowSize(context) }),
  );
  return { scenario, concurrency, load: result, ...usage, notes: [] };
}
