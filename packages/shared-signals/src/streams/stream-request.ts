/**
 * Reads what a Receiver sends to create, replace or update a stream (SSF 1.0 §8.1.1): push delivery only (RFC 8935,
 * the one method this Transmitter supports), an `endpoint_url` over https (or loopback http under the named
 * development opt-out), an `Authorization` header value of bounded size, and `events_requested`.
 */
import { DELIVERY_METHOD_PUSH } from '@ema/protocol';

/** A refused stream request: the HTTP status (400 or 404) and an RFC 6749 §5.2-style error body. */
export class StreamRequestError extends Error {
  /** Stable code of this class. */
  static readonly code = 'ERR_STREAM_REQUEST';
  /** Always {@link StreamRequestError.code}. */
  readonly code = StreamRequestError.code;
  override readonly name = 'StreamRequestError';
  readonly status: number;
  readonly error: string;

  /** A refusal with its status, error code and description (the message, sent to the Receiver). */
  constructor(status: number, error: string, description: string) {
    super(description);
    this.status = status;
    this.error = error;
  }
}

/** The Receiver-supplied part of a stream. */
export interface StreamRequest {
  endpointUrl: string;
  authorization: string | null;
  eventsRequested: readonly string[] | undefined;
  description: string | null;
}

/** Transport rules for `endpoint_url`. */
export interface StreamRequestRules {
  /** The named development opt-out: http is accepted for loopback hosts only. */
  allowInsecureLoopback: boolean;
}

const MAX_AUTHORIZATION = 1024;
const MAX_DESCRIPTION = 256;
const MAX_EVENTS = 32;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function invalid(description: string): StreamRequestError {
  return new StreamRequestError(400, 'invalid_request', description);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates a creation, replacement (`partial` false) or update (`partial` true, over `current`) request. */
export function readStreamRequest(body: unknown, rules: StreamRequestRules, current?: StreamRequest): StreamRequest {
  if (!isObject(body)) throw invalid('the body must be a JSON object');
  const delivery = body.delivery ?? (current === undefined ? undefined : null);
  let endpointUrl = current?.endpointUrl;
  let authorization = current?.authorization ?? null;
  if (delivery !== null) {
    // SSF 1.0 §8.1.1.1: without `delivery` the method would be poll, which this Transmitter does not offer.
    if (!isObject(delivery)) throw invalid(`delivery is required, with method ${DELIVERY_METHOD_PUSH}`);
    if (delivery.method !== DELIVERY_METHOD_PUSH) throw invalid(`delivery.method must be ${DELIVERY_METHOD_PUSH}`);
    endpointUrl = readEndpoint(delivery.endpoint_url, rules);
    authorization = readAuthorization(delivery.authorization_header);
  }
  if (endpointUrl === undefined) throw invalid('delivery is required');
  return {
    endpointUrl,
    authorization,
    eventsRequested: body.events_requested === undefined ? current?.eventsRequested : readEvents(body.events_requested),
    description: body.description === undefined ? (current?.description ?? null) : readDescription(body.description),
  };
}

function readEndpoint(value: unknown, rules: StreamRequestRules): string {
  if (typeof value !== 'string' || !URL.canParse(value)) throw invalid('delivery.endpoint_url must be a URL');
  const url = new URL(value);
  if (url.hash !== '' || url.username !== '' || url.password !== '') {
    throw invalid('delivery.endpoint_url must have no fragment or credentials');
  }
  // RFC 8935 §5.1: SETs travel over TLS; plain http only for loopback under the development opt-out.
  const insecureAllowed = rules.allowInsecureLoopback && url.protocol === 'http:' && LOOPBACK.has(url.hostname);
  if (url.protocol !== 'https:' && !insecureAllowed) throw invalid('delivery.endpoint_url must use https');
  return value;
}

function readAuthorization(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  // A header value: visible ASCII and spaces, bounded.
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > MAX_AUTHORIZATION ||
    !/^[\x20-\x7e]+$/.test(value)
  ) {
    throw invalid('delivery.authorization_header must be a header value');
  }
  return value;
}

function readEvents(value: unknown): readonly string[] {
  if (!Array.isArray(value) || value.length > MAX_EVENTS || !value.every((item) => typeof item === 'string')) {
    throw invalid('events_requested must be an array of event type URIs');
  }
  return [...new Set(value)];
}

function readDescription(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== 'string') throw invalid('description must be a string');
  // SSF 1.0 §8.1.1: the Transmitter may truncate it.
  return value.slice(0, MAX_DESCRIPTION);
}
