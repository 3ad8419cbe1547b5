import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

/** What one measured window produced, whatever drove it. Latencies in milliseconds. */
export interface LoadResult {
  /** Completed responses (any status) in the window. */
  requests: number;
  durationSeconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** Responses whose status was not 2xx, or (chained loads) whose body was not the expected success. */
  non2xx: number;
  /** Connection errors and time-outs (no response at all). */
  socketErrors: number;
  /** 2xx responses whose body failed the scenario's check (e.g. an MCP tool error inside a 200). */
  rejectedBodies: number;
  statusCodes: Record<string, number>;
  /**
   * CPU time of this process (the load generator) from the start of the window to its end, in milliseconds: it
   * shares the cores with the servers, so a scenario whose requests cost the load generator more leaves less CPU to its
   * server. Preparation before the window (minting ID-JAGs, building requests) is not counted.
   */
  loadGeneratorCpuMs: number;
}

/** Sums the two error kinds the report shows as one count. */
export function errorCount(result: LoadResult): number {
  return result.non2xx + result.socketErrors + result.rejectedBodies;
}

/**
 * Collects per-request latencies at microsecond resolution (autocannon's own histogram keeps whole milliseconds,
 * too coarse for a p50 near 1 ms) and counts statuses.
 */
export class LoadRecorder {
  readonly #latency: RecordableHistogram = createHistogram();
  readonly #statusCodes = new Map<string, number>();
  #requests = 0;
  #non2xx = 0;
  #socketErrors = 0;
  #rejectedBodies = 0;
  #cpuAtStart: NodeJS.CpuUsage | undefined;

  /** Marks the start of the window: the load generator's CPU time counts from here. */
  start(): void {
    this.#cpuAtStart = process.cpuUsage();
  }

  /** Records one response; `ok` defaults to "the status is 2xx". A 2xx that is not ok is counted as `<status>!`. */
  response(status: number, latencyMs: number, ok: boolean = status >= 200 && status <= 299): void {
    this.#requests += 1;
    const key = ok || status < 200 || status > 299 ? String(status) : `${status}!`;
    this.#statusCodes.set(key, (this.#statusCodes.get(key) ?? 0) + 1);
    if (!ok) this.#non2xx += 1;
    this.#latency.record(Math.max(1, Math.round(latencyMs * 1000)));
  }

  /** Records a request that got no response (socket error or time-out). */
  socketError(): void {
    this.#socketErrors += 1;
  }

  /** Records that a response already counted failed the body check. */
  bodyRejected(): void {
    this.#rejectedBodies += 1;
  }

  /** Freezes the counts into a result for a window of `durationSeconds`. */
  result(durationSeconds: number): LoadResult {
    const cpu = process.cpuUsage(this.#cpuAtStart);
    const percentile = (p: number): number => (this.#requests === 0 ? 0 : round(this.#latency.percentile(p) / 1000, 3));
    return {
      requests: this.#requests,
      durationSeconds: round(durationSeconds, 3),
      requestsPerSecond: durationSeconds > 0 ? round(this.#requests / durationSeconds, 1) : 0,
      latencyMs: {
        p50: percentile(50),
        p90: percentile(90),
        p99: percentile(99),
        max: this.#requests === 0 ? 0 : round(this.#latency.max / 1000, 3),
      },
      non2xx: this.#non2xx,
      socketErrors: this.#socketErrors,
      rejectedBodies: this.#rejectedBodies,
      statusCodes: Object.fromEntries(this.#statusCodes),
      loadGeneratorCpuMs: (cpu.user + cpu.system) / 1000,
    };
  }
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
