/**
 * The fetch an MCP client transport uses to reach the MCP server under EMA. It presents the access token (silently
 * re-minted when due) and answers the server's Bearer challenges as MCP-AUTH asks of a client: a 401 starts
 * discovery and a new grant, a 403 `insufficient_scope` one up-scope; the request is then sent once more with the
 * new token, and whatever the server answers to that is the caller's. A 401 `insufficient_user_authentication`
 * (RFC 9470) is not answered: only the user can, by signing in again (see `InsufficientUserAuthenticationError`). Because the challenge is answered here, the
 * MCP SDK's own OAuth machinery (`auth()`, which needs RAS metadata with an `authorization_endpoint` an EMA-only RAS
 * need not have) is never involved.
 *
 * {@link challengeNotingFetch} is the other way round, for a transport whose own machinery answers the challenges.
 */
import type { CachedAccessToken } from './access-token-cache.js';
import type { FetchLike } from './http/observer.js';
import { requireSecureUrl, type TransportSecurityOptions } from './http/transport-security.js';
import type { BearerChallenge } from './www-authenticate.js';

/** What {@link resourceFetch} needs of one action's authorization (a `ServerAuthorization` is one). */
export interface ChallengeAnswering {
  readonly serverUrl: string;
  /** The token to present, if one is held or can be re-minted silently. */
  accessToken(): Promise<CachedAccessToken | undefined>;
  /** Remembers the Bearer challenge of a 401 or 403 answer, and returns it. */
  noteChallenge(response: Response): BearerChallenge | undefined;
  /** Mints a token answering the challenge last noted. */
  answerChallenge(): Promise<CachedAccessToken>;
  /** RFC 9449 §7.1: `send`, adding a fresh DPoP proof bound to `token` to every request (for a `DPoP` token). */
  proofFetch(send: FetchLike, token: CachedAccessToken): Promise<FetchLike>;
}

function answerable(status: number, challenge: BearerChallenge | undefined): boolean {
  // RFC 9470: a sign-in too weak or too old is the user's to fix (a step-up at the IdP); a new token minted from the
  // same sign-in would be refused the same way, so that 401 goes back to the caller as it is.
  if (challenge?.error === 'insufficient_user_authentication') return false;
  return status === 401 || (status === 403 && challenge?.error === 'insufficient_scope');
}

/** A body that can be sent a second time as it is (a stream cannot). */
function replayable(body: RequestInit['body']): boolean {
  return body === undefined || body === null || typeof body === 'string' || body instanceof URLSearchParams;
}

/** Wraps `send` (the client's observed fetch for the MCP server) as described in the module comment. */
export function resourceFetch(
  authorization: ChallengeAnswering,
  send: FetchLike,
  security: TransportSecurityOptions,
): FetchLike {
  return async (input, init) => {
    // RFC 6750 §5.3: a bearer token travels over TLS only; the named opt-out allows http on loopback for development.
    const server = requireSecureUrl(authorization.serverUrl, security);
    // RFC 6750 §5.3 / MCP-AUTH token audience: the token is presented to the MCP server's origin and nowhere else.
    if (new URL(String(input)).origin !== server.origin) return send(input, init);
    const headers = new Headers(init?.headers);
    // RFC 6750 §2.1 / RFC 9449 §7.1: the token with its own scheme; a DPoP token with a proof on every request.
    const presented = async (token: CachedAccessToken | undefined): Promise<Response> => {
      if (token === undefined) return send(input, { ...init, headers });
      headers.set('authorization', `${token.tokenType} ${token.accessToken}`);
      const sender = token.tokenType === 'DPoP' ? await authorization.proofFetch(send, token) : send;
      return sender(input, { ...init, headers });
    };
    const response = headers.has('authorization')
      ? await send(input, { ...init, headers })
      : await presented(await authorization.accessToken());
    const challenge = authorization.noteChallenge(response);
    if (!answerable(response.status, challenge) || !replayable(init?.body)) return response;
    await response.body?.cancel();
    const retried = await presented(await authorization.answerChallenge());
    authorization.noteChallenge(retried);
    return retried;
  };
}

/**
 * The fetch for a transport that answers the MCP server's challenges itself (the MCP SDK with an `authProvider`):
 * requests to the MCP server's origin go through `toServer` and each Bearer challenge they get is noted, never
 * answered; any other request (the SDK's token request to the RAS) goes through `elsewhere`.
 */
export function challengeNotingFetch(
  authorization: Pick<ChallengeAnswering, 'serverUrl' | 'noteChallenge'>,
  toServer: FetchLike,
  elsewhere: FetchLike,
  security: TransportSecurityOptions,
): FetchLike {
  return async (input, init) => {
    const server = requireSecureUrl(authorization.serverUrl, security);
    if (new URL(String(input)).origin !== server.origin) return elsewhere(input, init);
    const response = await toServer(input, init);
    authorization.noteChallenge(response);
    return response;
  };
}
