/** A bound on how much of an answer the client reads, so a broken or hostile server cannot make it buffer without end. */
import { type FlowParty, ResponseTooLargeError } from '../errors.js';

/** Default bound on any answer's body: metadata and token responses are a few KiB, tool results rarely more. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

/** Statuses whose responses never carry a body (a Response cannot be built with one). */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** Whether `response` to a request of `method` is the long-lived MCP notification stream (GET, event stream). */
export function isLongLivedEventStream(response: Response, method: string): boolean {
  return method === 'GET' && (response.headers.get('content-type') ?? '').startsWith('text/event-stream');
}

/**
 * The same response with its body cut off at `maxBytes`: reading past it fails with a {@link ResponseTooLargeError}.
 * The long-lived GET event stream is exempt (its size grows with time, not with one answer), and the per-request
 * time-out still ends it.
 */
export function boundedResponse(
  response: Response,
  method: string,
  maxBytes: number,
  party: FlowParty,
  url: URL,
): Response {
  if (response.body === null || NULL_BODY_STATUSES.has(response.status)) return response;
  if (isLongLivedEventStream(response, method)) return response;
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
  return new Response(response.body.pipeThrough(limit), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
