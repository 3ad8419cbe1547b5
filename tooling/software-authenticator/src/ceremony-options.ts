/** Reads the options a relying party hands `navigator.credentials.create()` / `.get()` (their JSON form). */
import type { CreationOptions, RequestOptions } from './software-authenticator.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** `PublicKeyCredentialCreationOptionsJSON`, as far as this authenticator reads it. */
export function readCreationOptions(json: unknown): CreationOptions {
  if (!isRecord(json) || typeof json.challenge !== 'string' || !isRecord(json.rp) || !isRecord(json.user)) {
    throw new TypeError('not registration options');
  }
  const { id: rpId } = json.rp;
  const { id: userId } = json.user;
  if (typeof userId !== 'string') throw new TypeError('registration options without a user id');
  return { challenge: json.challenge, rp: typeof rpId === 'string' ? { id: rpId } : {}, user: { id: userId } };
}

/** `PublicKeyCredentialRequestOptionsJSON`, as far as this authenticator reads it. */
export function readRequestOptions(json: unknown): RequestOptions {
  if (!isRecord(json) || typeof json.challenge !== 'string') throw new TypeError('not authentication options');
  const allowed = Array.isArray(json.allowCredentials) ? json.allowCredentials : [];
  return {
    challenge: json.challenge,
    ...(typeof json.rpId === 'string' ? { rpId: json.rpId } : {}),
    allowCredentials: allowed.flatMap((entry: unknown) =>
      isRecord(entry) && typeof entry.id === 'string' ? [{ id: entry.id }] : [],
    ),
  };
}
