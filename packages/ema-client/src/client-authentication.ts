/**
 * Client authentication at a token endpoint (RFC 6749 §2.3), as values in the style of openid-client: the caller
 * picks a strategy once, the request code just applies it. The host has a different registration at the IdP and at
 * each RAS, hence one strategy per server.
 */

/** Adds this client's credentials to a token request (headers or form parameters). */
export interface ClientAuthentication {
  (headers: Headers, params: URLSearchParams): void;
  /** The client id of this registration (at a RAS, the `client_id` an ID-JAG for it must carry). */
  readonly clientId: string;
}

function strategy(clientId: string, apply: (headers: Headers, params: URLSearchParams) => void): ClientAuthentication {
  return Object.assign(apply, { clientId });
}

/** A client id and secret registered at one server. */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** RFC 6749 Appendix B: application/x-www-form-urlencoded encoding of one value (ASCII out). */
function formUrlEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}

/**
 * RFC 6749 §2.3.1 `client_secret_basic`: id and secret are each form-urlencoded before being joined and base64
 * encoded (a step many clients skip, which breaks secrets containing `:` or `%`).
 */
export function clientSecretBasic(credentials: ClientCredentials): ClientAuthentication {
  // The form encoding leaves only ASCII, which btoa encodes as is.
  const encoded = btoa(`${formUrlEncode(credentials.clientId)}:${formUrlEncode(credentials.clientSecret)}`);
  return strategy(credentials.clientId, (headers) => {
    headers.set('authorization', `Basic ${encoded}`);
  });
}

/**
 * RFC 6749 §2.3.1 `client_secret_post`: id and secret as form parameters. The RFC prefers Basic; use this only for
 * a server that supports nothing else.
 */
export function clientSecretPost(credentials: ClientCredentials): ClientAuthentication {
  return strategy(credentials.clientId, (_headers, params) => {
    params.set('client_id', credentials.clientId);
    params.set('client_secret', credentials.clientSecret);
  });
}

/**
 * RFC 6749 §2.1 public client (RFC 8414 method `none`): identifies itself with `client_id` only. Only for a server
 * that issued no secret.
 */
export function clientIdOnly(clientId: string): ClientAuthentication {
  return strategy(clientId, (_headers, params) => {
    params.set('client_id', clientId);
  });
}
