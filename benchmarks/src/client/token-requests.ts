import {
  GRANT_TYPE_JWT_BEARER,
  GRANT_TYPE_TOKEN_EXCHANGE,
  MEDIA_TYPE_FORM,
  TOKEN_TYPE_ID_JAG,
  TOKEN_TYPE_ID_TOKEN,
} from '@ema/protocol';
import {
  AGENT_HOST_AT_IDP,
  AGENT_HOST_AT_RAS,
  BENCH_SCOPE,
  basicAuthorization,
  type ClientCredentials,
} from './demo-credentials.js';
import type { HttpClient } from './http-client.js';

/** The form body of an RFC 8693 token exchange for an ID-JAG (docs/protocol.md §3), as the agent host sends it. */
export function tokenExchangeBody(input: { subjectToken: string; audience: string; resource: string }): string {
  return new URLSearchParams({
    grant_type: GRANT_TYPE_TOKEN_EXCHANGE,
    requested_token_type: TOKEN_TYPE_ID_JAG,
    audience: input.audience,
    resource: input.resource,
    scope: BENCH_SCOPE,
    subject_token: input.subjectToken,
    subject_token_type: TOKEN_TYPE_ID_TOKEN,
  }).toString();
}

/** The form body of an RFC 7523 jwt-bearer redemption of an ID-JAG (docs/protocol.md §5). */
export function jwtBearerBody(input: { assertion: string; resource: string }): string {
  return new URLSearchParams({
    grant_type: GRANT_TYPE_JWT_BEARER,
    assertion: input.assertion,
    resource: input.resource,
    scope: BENCH_SCOPE,
  }).toString();
}

/** Headers of a token request authenticated with `client_secret_basic`. */
export function tokenRequestHeaders(client: ClientCredentials): Record<string, string> {
  return { 'content-type': MEDIA_TYPE_FORM, authorization: basicAuthorization(client), accept: 'application/json' };
}

/** A token endpoint answer: the token when the status is 200 and the body carries one. */
export interface TokenOutcome {
  status: number;
  token: string | undefined;
  body: string;
}

/** Sends one token exchange to the IdP. */
export async function exchangeForIdJag(
  http: HttpClient,
  tokenEndpoint: string,
  body: string,
  extraHeaders: Record<string, string> = {},
): Promise<TokenOutcome> {
  return tokenRequest(http, tokenEndpoint, body, AGENT_HOST_AT_IDP, extraHeaders);
}

/** Sends one jwt-bearer redemption to the RAS. */
export async function redeemIdJag(
  http: HttpClient,
  tokenEndpoint: string,
  body: string,
  extraHeaders: Record<string, string> = {},
): Promise<TokenOutcome> {
  return tokenRequest(http, tokenEndpoint, body, AGENT_HOST_AT_RAS, extraHeaders);
}

async function tokenRequest(
  http: HttpClient,
  tokenEndpoint: string,
  body: string,
  client: ClientCredentials,
  extraHeaders: Record<string, string>,
): Promise<TokenOutcome> {
  const headers = { ...tokenRequestHeaders(client), ...extraHeaders };
  const response = await http.send(tokenEndpoint, { method: 'POST', headers, body });
  return {
    status: response.status,
    token: response.status === 200 ? accessToken(response.body) : undefined,
    body: response.body,
  };
}

function accessToken(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && 'access_token' in parsed) {
      const token = parsed.access_token;
      return typeof token === 'string' ? token : undefined;
    }
  } catch {
    // not JSON: no token
  }
  return undefined;
}
