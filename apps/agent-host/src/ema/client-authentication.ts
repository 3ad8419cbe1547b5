/**
 * Client authentication strategies for token requests (RFC 6749 §2.3.1), as values in the style of openid-client:
 * the caller picks one, the request code just applies it.
 */

/** Adds this client's credentials to a token request. */
export type ClientAuthentication = (headers: Headers, params: URLSearchParams) => void;

/** A client id and secret registered at one server. */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/**
 * RFC 6749 §2.3.1 `client_secret_basic`: id and secret are each form-urlencoded before being joined and base64
 * encoded (a step many clients skip, which breaks secrets containing `:` or `%`).
 */
export function clientSecretBasic(credentials: ClientCredentials): ClientAuthentication {
  const encoded = Buffer.from(
    `${formUrlEncode(credentials.clientId)}:${formUrlEncode(credentials.clientSecret)}`,
    'utf8',
  ).toString('base64');
  return (headers) => {
    headers.set('authorization', `Basic ${encoded}`);
  };
}

/** RFC 6749 §2.1 public client: identifies itself with `client_id` only. Used where no secret was issued. */
export function clientIdOnly(clientId: string): ClientAuthentication {
  return (_headers, params) => {
    params.set('client_id', clientId);
  };
}

/** RFC 6749 Appendix B: application/x-www-form-urlencoded encoding of one value. */
function formUrlEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}
