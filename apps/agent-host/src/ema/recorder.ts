/**
 * Records every HTTP exchange of a connection (request and response) for the flow inspector, with tokens decoded
 * for display and secrets redacted; and turns network failures into {@link UnreachableError}s naming the party.
 */
import { type DecodedTokenForDisplay, type DisplayBody, displayBody, displayForm, displayHeader } from './display.js';
import { type FlowParty, ResponseTooLargeError, UnreachableError } from './errors.js';

/** The four steps of the flow, as the inspector groups them. */
export type FlowStep = 'discovery' | 'token-exchange' | 'jwt-bearer' | 'mcp';

/** What an exchange is, in the flow's words. */
export interface ExchangeLabel {
  step: FlowStep;
  party: FlowParty;
  title: string;
}

/** A header as recorded. */
export interface RecordedHeader {
  name: string;
  value: string;
  token?: DecodedTokenForDisplay;
}

/** One request/response pair. */
export interface RecordedExchange extends ExchangeLabel {
  at: number;
  durationMs: number;
  request: { method: string; url: string; headers: RecordedHeader[]; body?: DisplayBody };
  response?: { status: number; headers: RecordedHeader[]; body?: DisplayBody };
  error?: string;
}

/** How a fetch call is labelled: a fixed label, or one derived from the request. */
export type Labeller = ExchangeLabel | ((url: URL, init: RequestInit | undefined) => ExchangeLabel);

/** The fetch signature the core uses (a subset of the global one). */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

const REQUEST_HEADERS = ['authorization', 'content-type', 'accept', 'mcp-session-id', 'mcp-protocol-version'];
const RESPONSE_HEADERS = ['content-type', 'www-authenticate', 'cache-control', 'mcp-session-id'];
const MAX_BODY_CHARS = 64 * 1024;
/** Default bound on any answer's body: metadata and token responses are a few KiB, tool results rarely more. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
/** Statuses whose responses never carry a body (a Response cannot be built with one). */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

function recordHeaders(headers: Headers, names: readonly string[]): RecordedHeader[] {
  const out: RecordedHeader[] = [];
  for (const name of names) {
    const value = headers.get(name);
    if (value !== null) out.push({ name, ...displayHeader(name, value) });
  }
  return out;
}

function requestBody(init: RequestInit | undefined, headers: Headers): DisplayBody | undefined {
  const body = init?.body;
  if (body instanceof URLSearchParams) return displayForm(body);
  if (typeof body === 'string') return displayBody(body, headers.get('content-type'));
  return undefined;
}

function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.name === 'TimeoutError' ? 'timed out' : error.message}${cause}`;
  }
  return String(error);
}

/** Collects the exchanges of one connection. */
export class FlowRecorder {
  readonly exchanges: RecordedExchange[] = [];
  readonly #pending = new Set<Promise<void>>();
  readonly #maxExchanges: number;

  constructor(options: { maxExchanges?: number } = {}) {
    this.#maxExchanges = options.maxExchanges ?? 100;
  }

  /**
   * Wraps `base` so each call is recorded under `label`, times out after `timeoutMs`, never follows a redirect by
   * itself, has its body bounded by `maxResponseBytes`, and a network failure becomes an {@link UnreachableError}
   * for the labelled party.
   */
  fetch(
    base: FetchLike,
    label: Labeller,
    timeoutMs = 10_000,
    maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES,
  ): FetchLike {
    return async (input, init) => {
      const url = new URL(String(input instanceof Request ? input.url : input));
      const { step, party, title } = typeof label === 'function' ? label(url, init) : label;
      const headers = new Headers(init?.headers);
      const at = Date.now();
      const exchange: RecordedExchange = {
        step,
        party,
        title,
        at,
        durationMs: 0,
        request: {
          method: init?.method ?? 'GET',
          url: url.href,
          headers: recordHeaders(headers, REQUEST_HEADERS),
          ...optional('body', requestBody(init, headers)),
        },
      };
      this.#push(exchange);
      const signal = init?.signal
        ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)])
        : AbortSignal.timeout(timeoutMs);
      let response: Response;
      try {
        // RFC 9700 §4.11 / RFC 6749 §3.2: a redirect is never followed blindly. A followed 307/308 would re-POST a
        // subject token or an ID-JAG to wherever the Location points, and any redirect would escape the https and
        // loopback checks made on the URL we meant to call. Callers that want same-origin redirects (the MCP SDK's
        // transport) ask for 'manual' themselves and follow them through this same wrapper.
        response = await base(input, { ...init, redirect: init?.redirect === 'error' ? 'error' : 'manual', signal });
      } catch (error) {
        exchange.durationMs = Date.now() - at;
        exchange.error = describeFailure(error);
        // An abort the caller asked for is not an outage.
        if (init?.signal?.aborted) throw error;
        throw new UnreachableError(party, url.origin, exchange.error);
      }
      exchange.durationMs = Date.now() - at;
      exchange.response = { status: response.status, headers: recordHeaders(response.headers, RESPONSE_HEADERS) };
      const bounded = boundedResponse(response, exchange.request.method, maxResponseBytes, party, url);
      this.#captureBody(exchange, bounded, exchange.request.method);
      return bounded;
    };
  }

  /** Waits (bounded) for response bodies still being read, so the record is complete. */
  async settle(timeoutMs = 2000): Promise<void> {
    await Promise.race([
      Promise.allSettled([...this.#pending]),
      new Promise((resolve) => setTimeout(resolve, timeoutMs)),
    ]);
  }

  #push(exchange: RecordedExchange): void {
    this.exchanges.push(exchange);
    if (this.exchanges.length > this.#maxExchanges)
      this.exchanges.splice(0, this.exchanges.length - this.#maxExchanges);
  }

  #captureBody(exchange: RecordedExchange, response: Response, method: string): void {
    const contentType = response.headers.get('content-type');
    // A GET answered by an event stream is the long-lived notification channel: it may never end.
    if (method === 'GET' && contentType?.startsWith('text/event-stream')) return;
    const reading = response
      .clone()
      .text()
      .then((text) => {
        const body = displayBody(text.slice(0, MAX_BODY_CHARS), contentType);
        if (body && exchange.response) exchange.response.body = body;
      })
      .catch(() => undefined)
      .finally(() => this.#pending.delete(reading));
    this.#pending.add(reading);
  }
}

/**
 * The same response with its body cut off at `maxBytes`: reading past it fails with a {@link ResponseTooLargeError},
 * so a hostile or broken server cannot make the host buffer an unbounded answer. The long-lived GET event stream is
 * exempt (its size grows with time, not with one answer), and the per-request time-out still ends it.
 */
function boundedResponse(response: Response, method: string, maxBytes: number, party: FlowParty, url: URL): Response {
  if (response.body === null || NULL_BODY_STATUSES.has(response.status)) return response;
  const declared = Number(response.headers.get('content-length') ?? '0');
  let total = 0;
  const limit = new TransformStream<Uint8Array, Uint8Array>({
    start(controller) {
      if (declared > maxBytes) controller.error(new ResponseTooLargeError(party, url.origin, maxBytes));
    },
    transform(chunk, controller) {
      total += chunk.byteLength;
      if (total > maxBytes) controller.error(new ResponseTooLargeError(party, url.origin, maxBytes));
      else controller.enqueue(chunk);
    },
  });
  const stream = method === 'GET' && (response.headers.get('content-type') ?? '').startsWith('text/event-stream');
  const body = stream ? response.body : response.body.pipeThrough(limit);
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
