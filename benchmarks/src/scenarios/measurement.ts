import type { AutocannonLoad } from '../load/autocannon-load.js';
import { runAutocannon } from '../load/autocannon-load.js';
import type { LoadResult } from '../load/load-result.js';
import type { LoadScenarioId } from '../settings.js';
import { type ProcessUsage, startPeakRss } from '../stack/peak-rss.js';
import type { WatchedProcess } from '../stack/stack.js';
import type { BenchContext } from './context.js';
import type { Measurement } from './records.js';

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
  processes: readonly WatchedProcess[],
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
  scenario: LoadScenarioId,
  concurrency: number,
  processes: readonly WatchedProcess[],
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
