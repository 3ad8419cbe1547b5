import fc from 'fast-check';
import type { FastifyInstance, HTTPMethods } from 'fastify';
import type { FuzzDictionary } from './fuzz-dictionary.js';
import { type FuzzRequest, fuzzRequests } from './fuzz-request.js';
import type { FuzzSettings } from './fuzz-settings.js';
import { type Route, routeTable } from './route-table.js';

/** Options of {@link runHttpFuzz}. */
export interface HttpFuzzOptions extends FuzzSettings {
  /** Names the run in its summary line (`idp`). */
  readonly name: string;
  readonly dictionary: FuzzDictionary;
  /** Default: every route of the app ({@link routeTable}). */
  readonly routes?: readonly Route[];
  /** A request not answered (status line written) within this time fails the run. Default 10 s. */
  readonly timeoutMs?: number;
}

/** What a run sent and what came back. */
export interface HttpFuzzReport {
  readonly name: string;
  readonly seed: number;
  readonly numRuns: number;
  readonly routes: number;
  /** Answers by status code. */
  readonly statuses: Readonly<Record<number, number>>;
  /** Answers by status code per targeted route (`*` for a path no route has): which endpoints the run reached. */
  readonly targets: Readonly<Record<string, Readonly<Record<number, number>>>>;
}

/** A request the app answered with 5xx, or not at all. */
export class HttpFuzzFailure extends Error {
  override readonly name = 'HttpFuzzFailure';
}

const HTTP_METHODS = new Set<string>(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
function isHttpMethod(method: string): method is HTTPMethods {
  return HTTP_METHODS.has(method);
}

// Long enough to read an ordinary body to its end; an event stream that stays open is left after it.
const DRAIN_MS = 250;

async function statusOf(app: FastifyInstance, request: FuzzRequest, timeoutMs: number): Promise<number> {
  if (!isHttpMethod(request.method)) throw new TypeError(`not an HTTP method: ${request.method}`);
  const injected = app.inject({
    method: request.method,
    url: request.url,
    headers: request.headers,
    payloadAsStream: true,
    ...(request.payload === undefined ? {} : { payload: request.payload }),
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HttpFuzzFailure(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const response = await Promise.race([injected, timeout]);
    const stream = response.stream();
    await new Promise<void>((resolve) => {
      const stop = setTimeout(() => {
        stream.destroy();
        resolve();
      }, DRAIN_MS);
      const done = (): void => {
        clearTimeout(stop);
        resolve();
      };
      stream.once('end', done).once('error', done).once('close', done).resume();
    });
    return response.statusCode;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Sends `numRuns` random requests (`fuzzRequests`) to the app in-process (`inject`), one at a time, and fails on the
 * first answered with a 5xx or not answered: fast-check then shrinks it to a minimal request and reports it with the
 * seed that replays it. Prints one summary line (seed, cases, routes, statuses) and returns the report.
 */
export async function runHttpFuzz(app: FastifyInstance, options: HttpFuzzOptions): Promise<HttpFuzzReport> {
  await app.ready();
  const routes = options.routes ?? routeTable(app);
  if (routes.length === 0) throw new TypeError(`${options.name}: the app has no route to fuzz`);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const statuses: Record<number, number> = {};
  const targets: Record<string, Record<number, number>> = {};
  const property = fc.asyncProperty(fuzzRequests(routes, options.dictionary), async (request) => {
    const status = await statusOf(app, request, timeoutMs);
    statuses[status] = (statuses[status] ?? 0) + 1;
    const key = `${request.method} ${request.target}`;
    const target = targets[key] ?? {};
    target[status] = (target[status] ?? 0) + 1;
    targets[key] = target;
    if (status >= 500) throw new HttpFuzzFailure(`${request.method} ${request.url} answered ${status}`);
  });
  const details = await fc.check(property, { seed: options.seed, numRuns: options.numRuns });
  if (details.failed) {
    // fast-check's report (seed, path, shrunk counterexample) and what the request got.
    const cause =
      details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new HttpFuzzFailure(`http fuzz ${options.name}: ${cause}\n${fc.defaultReportMessage(details)}`);
  }
  const report = {
    name: options.name,
    seed: options.seed,
    numRuns: options.numRuns,
    routes: routes.length,
    statuses,
    targets,
  };
  const answers = Object.entries(statuses)
    .map(([status, count]) => `${status}:${count}`)
    .join(' ');
  console.info(
    `http fuzz ${report.name}: seed=${report.seed} cases=${report.numRuns} routes=${report.routes} statuses ${answers}`,
  );
  return report;
}
