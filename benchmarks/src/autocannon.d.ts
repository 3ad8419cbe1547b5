// The subset of autocannon 8's programmatic API this package uses (the package ships no type declarations).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  /** One request of a connection's list (`setRequests`): autocannon sends them in order. */
  export interface AutocannonRequest {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  }

  /**
   * One connection of autocannon (pipelining 1 only): `setHeaders` replaces the headers of its requests, `setRequests`
   * its list of requests (built at once). It emits `request` before it sends each request.
   */
  export interface AutocannonClient extends EventEmitter {
    setHeaders(headers: Record<string, string>): void;
    setRequests(requests: AutocannonRequest[]): void;
  }

  export interface AutocannonOptions {
    url: string;
    connections?: number;
    duration?: number;
    amount?: number;
    pipelining?: number;
    timeout?: number;
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    setupClient?: (client: AutocannonClient) => void;
    verifyBody?: (body: string) => boolean;
    excludeErrorStats?: boolean;
  }

  export interface AutocannonResult {
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    resets: number;
    statusCodeStats: Record<string, { count: number }>;
    requests: { total: number; sent: number; average: number };
    latency: { p50: number; p90: number; p99: number; max: number };
  }

  export interface AutocannonInstance extends EventEmitter {
    stop(): void;
  }

  export default function autocannon(
    options: AutocannonOptions,
    callback: (error: Error | null, result: AutocannonResult) => void,
  ): AutocannonInstance;
}
