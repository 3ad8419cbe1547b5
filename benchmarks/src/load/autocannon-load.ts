import autocannon, { type AutocannonClient } from 'autocannon';
import { LoadRecorder, type LoadResult } from './load-result.js';

/** One autocannon window: either `durationSeconds` long or exactly `amount` requests. */
export interface AutocannonLoad {
  url: string;
  connections: number;
  /** Fixed-length window. Ignored when `amount` is set. */
  durationSeconds?: number;
  /** Fixed number of requests (autocannon then ignores the duration). */
  amount?: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Checks each response body; a failure counts as an error (autocannon calls it a mismatch). */
  verifyBody?: (body: string) => boolean;
  /** Called once per connection, e.g. to give each connection its own MCP session header or its own requests. */
  setupClient?: (client: AutocannonClient) => void;
  /** Called with each response's connection and status (after it was recorded). */
  onResponse?: (client: AutocannonClient, status: number) => void;
  timeoutSeconds?: number;
}

/**
 * Drives one window with autocannon's programmatic API and measures it with our own recorder: every response's
 * latency at microsecond resolution, every status, every socket error. Pipelining stays at 1 (one request in flight
 * per connection), so `connections` is the concurrency.
 */
export function runAutocannon(load: AutocannonLoad): Promise<LoadResult> {
  const recorder = new LoadRecorder();
  return new Promise((resolve, reject) => {
    let startedAt = 0;
    const { onResponse } = load;
    let lastResponseAt = 0;
    const instance = autocannon(
      {
        url: load.url,
        connections: load.connections,
        pipelining: 1,
        timeout: load.timeoutSeconds ?? 10,
        ...(load.amount === undefined ? { duration: load.durationSeconds ?? 10 } : { amount: load.amount }),
        ...(load.method === undefined ? {} : { method: load.method }),
        ...(load.headers === undefined ? {} : { headers: load.headers }),
        ...(load.body === undefined ? {} : { body: load.body }),
        ...(load.setupClient === undefined ? {} : { setupClient: load.setupClient }),
        ...(load.verifyBody === undefined ? {} : { verifyBody: load.verifyBody }),
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        // autocannon notices the end only at its next once-a-second sample tick, so its own duration can overshoot
        // the last response by up to a second: measure the window from the start to the last response instead.
        const elapsed = lastResponseAt > startedAt ? (lastResponseAt - startedAt) / 1000 : result.duration;
        resolve(recorder.result(elapsed));
      },
    );
    instance.on('start', () => {
      startedAt = performance.now();
      recorder.start();
    });
    instance.on('response', (client: AutocannonClient, status: number, _bytes: number, latencyMs: number) => {
      lastResponseAt = performance.now();
      recorder.response(status, latencyMs);
      onResponse?.(client, status);
    });
    instance.on('reqError', () => {
      recorder.socketError();
    });
    instance.on('reqMismatch', () => {
      recorder.bodyRejected();
    });
  });
}
