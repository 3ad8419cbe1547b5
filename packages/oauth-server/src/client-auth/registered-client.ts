/** What client authentication needs to know about a registered client; apps extend it with their own fields. */
export interface RegisteredClient {
  clientId: string;
  /** `hashClientSecret(secret)` of a confidential client; `null` for a public client (refused at the token endpoint). */
  secretHash: string | null;
}

/**
 * The client authentication methods this kit implements: RFC 6749 §2.3.1's two, and `none` (RFC 7591 §2): a public
 * client identified by `client_id` alone, accepted only for the grants a token endpoint names (`publicClientGrants`).
 */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

/** The result of a successful client authentication. */
export interface AuthenticatedClient<C extends RegisteredClient> {
  client: C;
  method: ClientAuthMethod;
}
