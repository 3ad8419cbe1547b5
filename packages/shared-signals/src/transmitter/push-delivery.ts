/**
 * One push (RFC 8935 §2): `POST` the SET to the destination with `Content-Type: application/secevent+jwt`, the
 * receiver's `Authorization` header when it asked for one, and `Accept: application/json`. A 2xx acknowledges it
 * (RFC 8935 §2.2: 202); a 400 with an RFC 8935 error body is a refusal of that SET, which no retry would change;
 * anything else (network error, time-out, 5xx, 429, a redirect, another status) is retried.
 */
import { MEDIA_TYPE_JSON, MEDIA_TYPE_SECEVENT_JWT, PUSH_ERROR_CODES } from '@ema/protocol';
import type { PushDestination } from './outbox.js';

/** What one push came to. */
export type PushOutcome =
  | { kind: 'delivered'; status: number }
  | { kind: 'rejected'; status: number; err: string; description: string }
  | { kind: 'retry'; reason: string };

/** Limits of one push. */
export interface PushLimits {
  fetch: typeof fetch;
  timeoutMs: number;
  /** Aborts the push (the loop is stopping). */
  signal?: AbortSignal;
}

const KNOWN_ERRORS: readonly string[] = PUSH_ERROR_CODES;

/** Pushes one signed SET to one destination. Never throws. */
export async function pushSecurityEvent(
  destination: PushDestination,
  set: string,
  limits: PushLimits,
): Promise<PushOutcome> {
  const headers: Record<string, string> = { 'content-type': MEDIA_TYPE_SECEVENT_JWT, accept: MEDIA_TYPE_JSON };
  if (destination.authorization !== undefined) headers.authorization = destination.authorization;
  const signals = [AbortSignal.timeout(limits.timeoutMs), ...(limits.signal === undefined ? [] : [limits.signal])];
  try {
    const response = await limits.fetch(destination.endpointUrl, {
      method: 'POST',
      headers,
      body: set,
      // A redirect would re-send the SET (and the credential) elsewhere: never followed, retried as a failure.
      redirect: 'manual',
      signal: AbortSignal.any(signals),
    });
    const text = await response.text().catch(() => '');
    if (response.status >= 200 && response.status < 300) return { kind: 'delivered', status: response.status };
    if (response.status === 400) {
      const refusal = readPushError(text);
      if (refusal !== undefined) return { kind: 'rejected', status: 400, ...refusal };
    }
    return { kind: 'retry', reason: `HTTP ${response.status}` };
  } catch (error) {
    return { kind: 'retry', reason: error instanceof Error ? error.name : 'fetch failed' };
  }
}

function readPushError(text: string): { err: string; description: string } | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const err = Reflect.get(body, 'err');
  const description = Reflect.get(body, 'description');
  if (typeof err !== 'string' || !KNOWN_ERRORS.includes(err)) return undefined;
  return { err, description: typeof description === 'string' ? description.slice(0, 200) : '' };
}
