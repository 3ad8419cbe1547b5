/**
 * Every outbound call of the client goes through {@link observedFetch}: a time-out, no redirect followed, a bound on
 * the answer's size, network failures named by party, and (only when an observer is attached) the exchange reported.
 */
import { type FlowParty, UnreachableError } from '../errors.js';
import { boundedResponse, DEFAULT_MAX_RESPONSE_BYTES, isLongLivedEventStream } from './bounded-response.js';
import type {
  ExchangeLabel,
  ExchangeObserver,
  FetchLike,
  ObservedExchange,
  ObservedRequest,
  ObservedResponse,
} from './observer.js';

/** Default time-out of one request. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** How the client talks HTTP. */
export interface HttpSettings {
  /** The underlying fetch (tests and embeddings inject one). */
  fetch: FetchLike;
  /** Time-out of each request, body included. */
  timeoutMs: number;
  /** Bound on the body of any answer, in bytes (the long-lived GET event stream is exempt). */
  maxResponseBytes: number;
}

/** The settings with their defaults, on the global fetch. */
export function httpSettings(overrides: Partial<HttpSettings> = {}): HttpSettings {
  return {
    fetch: overrides.fetch ?? ((input, init) => fetch(input, init)),
    timeoutMs: overrides.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxResponseBytes: overrides.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
  };
}

/** How a call is labelled: computed from the request, and only when an observer is attached. */
export type Labeller = (url: URL, init: RequestInit | undefined) => ExchangeLabel;

/**
 * Wraps `http.fetch` for calls to `party`. `label` is computed only when `observer` is set, and a response body is
 * copied for the observer only when it asks for bodies: with no observer, no work is done beyond the call itself.
 */
export function observedFetch(
  http: HttpSettings,
  party: FlowParty,
  label: Labeller,
  observer?: ExchangeObserver,
): FetchLike {
  return async (input, init) => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    const startedAt = observer ? Date.now() : 0;
    const timeout = AbortSignal.timeout(http.timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    let response: Response;
    try {
      // RFC 9700 §4.11 / RFC 6749 §3.2: a redirect is never followed blindly. A followed 307/308 would re-POST a
      // subject token or an ID-JAG to wherever the Location points, and any redirect would escape the https and
      // loopback checks made on the URL we meant to call. A caller that wants same-origin redirects (the MCP SDK's
      // transport) reads the 3xx itself and follows it through this same wrapper.
      response = await http.fetch(input, {
        ...init,
        redirect: init?.redirect === 'error' ? 'error' : 'manual',
        signal,
      });
    } catch (error) {
      const failure = describeFailure(error);
      if (observer) {
        const request = observedRequest(url, method, init);
        report(observer, { label: label(url, init), startedAt, durationMs: Date.now() - startedAt, request, failure });
      }
      // An abort the caller asked for is not an outage.
      if (init?.signal?.aborted) throw error;
      throw new UnreachableError(party, url.origin, failure);
    }
    const bounded = boundedResponse(response, method, http.maxResponseBytes, party, url);
    if (observer) {
      report(observer, {
        label: label(url, init),
        startedAt,
        durationMs: Date.now() - startedAt,
        request: observedRequest(url, method, init),
        response: observedResponse(bounded, method, observer.responseBodies === true),
      });
    }
    return bounded;
  };
}

function observedRequest(url: URL, method: string, init: RequestInit | undefined): ObservedRequest {
  const body = init?.body;
  return {
    method,
    url: url.href,
    headers: new Headers(init?.headers),
    body: typeof body === 'string' ? body : body instanceof URLSearchParams ? body.toString() : undefined,
  };
}

function observedResponse(response: Response, method: string, withBody: boolean): ObservedResponse {
  const observed: ObservedResponse = { status: response.status, headers: new Headers(response.headers) };
  if (withBody && response.body !== null && !isLongLivedEventStream(response, method)) {
    // The copy is taken now, before the caller reads the original.
    observed.body = response
      .clone()
      .text()
      .then(
        (text) => text,
        () => undefined,
      );
  }
  return observed;
}

function report(observer: ExchangeObserver, exchange: ObservedExchange): void {
  try {
    observer.exchange(exchange);
  } catch {
    // Documented on ExchangeObserver.exchange: an observer cannot change the flow.
  }
}

function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.name === 'TimeoutError' ? 'timed out' : error.message}${cause}`;
  }
  return String(error);
}
