import { decodeJwt } from 'jose';
import { type DiscoveredEndpoints, discoverEndpoints } from '../client/discovery.js';
import { createDpopProofMaker, type DpopProofMaker } from '../client/dpop-proof.js';
import { createHttpClient } from '../client/http-client.js';
import { signInForIdToken } from '../client/sign-in.js';
import { exchangeForIdJag, jwtBearerBody, redeemIdJag, tokenExchangeBody } from '../client/token-requests.js';
import type { AppStack } from '../stack/stack.js';

/** Everything prepared once, before any measured window. */
export interface BenchInputs {
  endpoints: DiscoveredEndpoints;
  /** The demo user's ID token, from a real sign-in at the IdP. */
  idToken: string;
  /** Scenario 1's request body: a token exchange of `idToken` for an ID-JAG. */
  exchangeBody: string;
  /** The bound's request body: the same exchange, its subject token the same claims signed with the bound's key. */
  boundExchangeBody: string;
  /** A valid access token for the MCP server (scenario 3), obtained through the real exchange and redemption. */
  accessToken: string;
  /** The floor's bearer token: `accessToken`'s claims signed with the bound's key (`at+jwt`). */
  floorAccessToken: string;
  /** RFC 9449: the load generator's DPoP key, and an access token bound to it (the DPoP variants of the scenarios). */
  dpop: { proofs: DpopProofMaker; accessToken: string };
}

/**
 * Signs in, then walks the flow once by hand (exchange, redemption) so that a broken stack fails here with a clear
 * message instead of as a wall of errors in the first window.
 */
export async function prepareInputs(stack: AppStack): Promise<BenchInputs> {
  const { urls } = stack;
  const endpoints = await discoverEndpoints(urls.idpIssuer, urls.rasIssuer);
  const idToken = await signInForIdToken({
    authorizationEndpoint: endpoints.idpAuthorizationEndpoint,
    tokenEndpoint: endpoints.idpTokenEndpoint,
  });
  const exchangeBody = tokenExchangeBody({ subjectToken: idToken, audience: urls.rasIssuer, resource: urls.resource });
  const boundSubjectToken = await stack.bound.subjectToken(decodeJwt(idToken));
  const boundExchangeBody = tokenExchangeBody({
    subjectToken: boundSubjectToken,
    audience: urls.rasIssuer,
    resource: urls.resource,
  });

  const http = createHttpClient({ maxSockets: 1 });
  try {
    const exchanged = await exchangeForIdJag(http, endpoints.idpTokenEndpoint, exchangeBody);
    if (exchanged.token === undefined) {
      throw new Error(`token exchange failed: ${exchanged.status} ${exchanged.body.slice(0, 300)}`);
    }
    const redeemed = await redeemIdJag(
      http,
      endpoints.rasTokenEndpoint,
      jwtBearerBody({ assertion: exchanged.token, resource: urls.resource }),
    );
    if (redeemed.token === undefined) {
      throw new Error(`jwt-bearer redemption failed: ${redeemed.status} ${redeemed.body.slice(0, 300)}`);
    }
    const floorAccessToken = await stack.bound.accessToken(decodeJwt(redeemed.token));
    // The same walk with DPoP: a proof by one key at the exchange and at the redemption binds the access token to it.
    const proofs = createDpopProofMaker();
    const boundIdJag = await exchangeForIdJag(http, endpoints.idpTokenEndpoint, exchangeBody, {
      dpop: proofs.proof('POST', endpoints.idpTokenEndpoint),
    });
    if (boundIdJag.token === undefined) {
      throw new Error(`token exchange with DPoP failed: ${boundIdJag.status} ${boundIdJag.body.slice(0, 300)}`);
    }
    const bound = await redeemIdJag(
      http,
      endpoints.rasTokenEndpoint,
      jwtBearerBody({ assertion: boundIdJag.token, resource: urls.resource }),
      { dpop: proofs.proof('POST', endpoints.rasTokenEndpoint) },
    );
    if (bound.token === undefined) {
      throw new Error(`jwt-bearer redemption with DPoP failed: ${bound.status} ${bound.body.slice(0, 300)}`);
    }
    return {
      endpoints,
      idToken,
      exchangeBody,
      boundExchangeBody,
      accessToken: redeemed.token,
      floorAccessToken,
      dpop: { proofs, accessToken: bound.token },
    };
  } finally {
    http.close();
  }
}
