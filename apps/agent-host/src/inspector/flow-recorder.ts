/**
 * The flow inspector's record of a connection: an observer of the EMA client (`ExchangeObserver` of
 * `@ema/ema-client`) that keeps each exchange with tokens decoded for display and secrets redacted.
 */
import type { ExchangeLabel, ExchangeObserver, ObservedExchange } from '@ema/ema-client';
import { type DecodedTokenForDisplay, type DisplayBody, displayBody, displayHeader } from './display.js';

/** A header as recorded. */
export interface RecordedHeader {
  name: string;
  value: string;
  token?: DecodedTokenForDisplay;
}

/** One request/response pair, redacted. */
export interface RecordedExchange extends ExchangeLabel {
  at: number;
  durationMs: number;
  request: { method: string; url: string; headers: RecordedHeader[]; body?: DisplayBody };
  response?: { status: number; headers: RecordedHeader[]; body?: DisplayBody };
  error?: string;
}

/** The headers worth showing; the others (cookies among them) never reach the record. */
const REQUEST_HEADERS = ['authorization', 'dpop', 'content-type', 'accept', 'mcp-session-id', 'mcp-protocol-version'];
const RESPONSE_HEADERS = ['content-type', 'www-authenticate', 'dpop-nonce', 'cache-control', 'mcp-session-id'];
const MAX_BODY_CHARS = 64 * 1024;

function recordHeaders(headers: Headers, names: readonly string[]): RecordedHeader[] {
  const out: RecordedHeader[] = [];
  for (const name of names) {
    const value = headers.get(name);
    if (value !== null) out.push({ name, ...displayHeader(name, value) });
  }
  return out;
}

/** Collects the exchanges of one connection. */
export class FlowRecorder implements ExchangeObserver {
  /** The inspector shows bodies, so the client copies them for it. */
  readonly responseBodies = true;
  readonly exchanges: RecordedExchange[] = [];
  readonly #pending = new Set<Promise<void>>();
  readonly #maxExchanges: number;

  constructor(options: { maxExchanges?: number } = {}) {
    this.#maxExchanges = options.maxExchanges ?? 100;
  }

  /** Records one exchange; its response body is filled in once read (see {@link settle}). */
  exchange(observed: ObservedExchange): void {
    const { label, request, response } = observed;
    const body =
      request.body === undefined ? undefined : displayBody(request.body, request.headers.get('content-type'));
    const recorded: RecordedExchange = {
      ...label,
      at: observed.startedAt,
      durationMs: observed.durationMs,
      request: {
        method: request.method,
        url: request.url,
        headers: recordHeaders(request.headers, REQUEST_HEADERS),
        ...(body ? { body } : {}),
      },
      ...(response
        ? { response: { status: response.status, headers: recordHeaders(response.headers, RESPONSE_HEADERS) } }
        : {}),
      ...(observed.failure !== undefined ? { error: observed.failure } : {}),
    };
    this.exchanges.push(recorded);
    if (this.exchanges.length > this.#maxExchanges)
      this.exchanges.splice(0, this.exchanges.length - this.#maxExchanges);
    if (response?.body && recorded.response) {
      this.#capture(recorded.response, response.body, response.headers.get('content-type'));
    }
  }

  /** Waits (bounded) for response bodies still being read, so the record is complete. */
  async settle(timeoutMs = 2000): Promise<void> {
    await Promise.race([
      Promise.allSettled([...this.#pending]),
      new Promise((resolve) => setTimeout(resolve, timeoutMs)),
    ]);
  }

  #capture(target: { body?: DisplayBody }, text: Promise<string | undefined>, contentType: string | null): void {
    const reading = text
      .then((value) => {
        const body = value === undefined ? undefined : displayBody(value.slice(0, MAX_BODY_CHARS), contentType);
        if (body) target.body = body;
      })
      .finally(() => this.#pending.delete(reading));
    this.#pending.add(reading);
  }
}
