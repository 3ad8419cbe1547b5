/** One GET of a metadata document (RFC 9728 §3.1, RFC 8414 §3.1), read as JSON. */
import { MEDIA_TYPE_JSON } from '@ema/protocol';
import { DiscoveryError, EmaClientError } from '../errors.js';
import type { FetchLike } from '../http/observer.js';

/** A metadata answer: the parsed JSON, or the status of a response that was not a success. */
export type MetadataAnswer = { ok: true; json: unknown } | { ok: false; status: number };

/** Fetches `url` as JSON; never follows a redirect, which would skip the https check made on `url` (RFC 9700 §4.11). */
export async function fetchMetadata(fetchFn: FetchLike, url: URL): Promise<MetadataAnswer> {
  const response = await fetchFn(url, { headers: { accept: MEDIA_TYPE_JSON }, redirect: 'manual' });
  if (!response.ok) {
    await response.body?.cancel();
    return { ok: false, status: response.status };
  }
  try {
    return { ok: true, json: await response.json() };
  } catch (error) {
    // The size bound and the time-out surface here as the client's own errors: they pass through.
    if (error instanceof EmaClientError) throw error;
    throw new DiscoveryError('ERR_DISCOVERY_METADATA_INVALID', `${url.href} did not return JSON`);
  }
}
