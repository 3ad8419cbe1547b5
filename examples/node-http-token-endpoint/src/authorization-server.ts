/**
 * An authorization server that redeems ID-JAGs (RFC 7523 jwt-bearer grant, ID-JAG §4.4) on plain `node:http`, built
 * on the framework-neutral core of `@ema/oauth-server`: `handleTokenRequest` (form parsing, client authentication,
 * grant dispatch, RFC 6749 §5.2 errors), `createIdJagRedemption` (every check of ID-JAG §4.4.1, in order) and
 * `KeyStore`. Everything it stores lives in this process's memory: see the README for what a deployment must add.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { createRemoteJwks, type TrustedIssuer } from '@ema/jwt';
import type { AuditEvent } from '@ema/oauth-server';
import {
  createIdJagRedemption,
  handleTokenRequest,
  InvalidRequestError,
  jwtBearerGrant,
  KeyStore,
  NO_STORE_HEADERS,
  type OAuthError,
  REDEMPTION_AUDIT_TYPE,
  type RegisteredClient,
  type TokenEndpointOptions,
  type TokenRefusalContext,
} from '@ema/oauth-server';
import { GRANT_TYPE_JWT_BEARER, MEDIA_TYPE_JWK_SET, WELL_KNOWN_OAUTH_AUTHORIZATION_SERVER } from '@ema/protocol';
import { ENDPOINT_PATHS, type ExampleConfig } from './config.js';
import { createMemoryAccounts } from './memory/accounts.js';
import { createJsonLinesAuditLog } from './memory/audit-log.js';
import { createMemoryConsumedJtis } from './memory/consumed-jtis.js';
import { createMemorySigningKeyStorage } from './memory/signing-keys.js';
import { authorizationServerMetadata, CLIENT_AUTH_METHODS } from './metadata.js';
import { BodyTooLargeError, readBody, sendJson } from './node-http.js';
import { createFixedRegistry } from './registry.js';

/** What tests (and embedders) may replace. */
export interface AuthorizationServerDependencies {
  /** Fetches the IdP's JWKS (default: the global `fetch`). */
  fetch?: typeof fetch;
  /** Clock in epoch milliseconds (default `Date.now`). */
  now?: () => number;
  /** Receives each audit record as one JSON line (default: stdout). */
  writeAuditLine?: (line: string) => void;
  /** Told about anything unexpected, for the server log (default: stderr). */
  onUnexpectedError?: (error: unknown) => void;
}

/** A token request body is a few hundred bytes; anything near this is not one. */
const BODY_LIMIT = 64 * 1024;

const DOCUMENT_HEADERS = { 'Cache-Control': 'public, max-age=300' } as const;

/**
 * Builds the request listener (`http.createServer(listener)`): `POST /token`, RFC 8414 metadata at
 * `/.well-known/oauth-authorization-server`, the access-token keys at `/jwks`. Everything is prepared here, once.
 */
export async function createAuthorizationServer(
  config: ExampleConfig,
  deps: AuthorizationServerDependencies = {},
): Promise<RequestListener> {
  const now = deps.now ?? Date.now;
  const onUnexpectedError = deps.onUnexpectedError ?? ((error: unknown) => console.error(error));
  const audit = createJsonLinesAuditLog(deps.writeAuditLine ?? ((line) => process.stdout.write(line)), now);
  const registry = createFixedRegistry(config);
  const keyStore = await KeyStore.open({
    storage: createMemorySigningKeyStorage(),
    // A retired key stays published until every access token it signed has expired.
    retentionSeconds: config.accessTokenTtlSeconds + config.clockToleranceSeconds,
    now,
  });

  // ID-JAG §4.4.1 steps 3-4: the one explicitly trusted IdP, its keys fetched from its JWKS, cached, refetched on an
  // unknown kid at most every 30 s.
  const idp: TrustedIssuer = {
    issuer: config.trustedIdp.issuer,
    keys: createRemoteJwks(config.trustedIdp.jwksUri, { now, ...(deps.fetch ? { fetch: deps.fetch } : {}) }),
    algorithms: config.trustedIdp.algorithms,
  };
  const redeem = createIdJagRedemption({
    issuer: config.issuer,
    algorithms: config.trustedIdp.algorithms,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    maxIdJagLifetimeSeconds: config.maxIdJagLifetimeSeconds,
    clockToleranceSeconds: config.clockToleranceSeconds,
    trustedIssuers: (iss) => (iss === idp.issuer ? idp : undefined),
    resources: registry,
    subjects: createMemoryAccounts(),
    consumedJtis: createMemoryConsumedJtis(config.clockToleranceSeconds),
    audit,
    // One process, synchronous work: running it is committing it (a database would run it in one transaction).
    commit: { submit: async (work) => work() },
    signer: () => keyStore.signer(),
    now,
    onUnexpectedError,
  });

  const onRefusal = (error: OAuthError, ctx: TokenRefusalContext): void =>
    audit.record(pipelineRefusal(error, ctx.grantType, ctx.clientId));
  const tokenEndpoint: TokenEndpointOptions<RegisteredClient> = {
    grants: [jwtBearerGrant({ redeem })],
    findClient: registry.findClient,
    methods: CLIENT_AUTH_METHODS,
    realm: config.issuer,
    onRefusal,
    onUnexpectedError,
  };
  const metadata = authorizationServerMetadata(config);

  const token = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    let body: string;
    try {
      body = await readBody(request, BODY_LIMIT);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      const refused = new InvalidRequestError('request body too large');
      onRefusal(refused, {});
      response.setHeader('Connection', 'close');
      sendJson(response, refused.status, NO_STORE_HEADERS, refused.toResponseBody());
      return;
    }
    const result = await handleTokenRequest(
      {
        method: request.method ?? 'POST',
        contentType: request.headers['content-type'],
        authorization: request.headers.authorization,
        body,
      },
      tokenEndpoint,
    );
    sendJson(response, result.status, result.headers, result.body);
  };

  return (request, response) => {
    const path = (request.url ?? '/').split('?', 1)[0];
    if (path === ENDPOINT_PATHS.token) {
      token(request, response).catch((error: unknown) => {
        // A client that went away mid-body; nothing can be answered any more.
        if (response.headersSent || request.destroyed) {
          response.destroy();
          return;
        }
        onUnexpectedError(error);
        sendJson(response, 500, NO_STORE_HEADERS, { error: 'server_error' });
      });
    } else if (path === WELL_KNOWN_OAUTH_AUTHORIZATION_SERVER) {
      sendDocument(request, response, metadata);
    } else if (path === ENDPOINT_PATHS.jwks) {
      // RFC 7517 §5: public keys only, including the pre-published next key and retired keys still in retention.
      sendDocument(request, response, keyStore.jwks(), MEDIA_TYPE_JWK_SET);
    } else {
      sendJson(response, 404, NO_STORE_HEADERS, { error: 'invalid_request', error_description: 'not found' });
    }
  };
}

function sendDocument(request: IncomingMessage, response: ServerResponse, document: unknown, type?: string): void {
  if (request.method === 'GET' || request.method === 'HEAD') {
    sendJson(response, 200, DOCUMENT_HEADERS, document, type);
  } else {
    const headers = { ...NO_STORE_HEADERS, Allow: 'GET, HEAD' };
    sendJson(response, 405, headers, { error: 'invalid_request', error_description: 'GET only' });
  }
}

/** The audit record of a refusal the token pipeline made itself (client authentication, a malformed request). */
function pipelineRefusal(error: OAuthError, grantType: string | undefined, clientId: string | undefined): AuditEvent {
  return {
    type: grantType === GRANT_TYPE_JWT_BEARER ? REDEMPTION_AUDIT_TYPE : 'token.request',
    outcome: 'deny',
    reason: error.error,
    ...(clientId !== undefined ? { clientId } : {}),
    details: { error: error.error, ...(grantType !== undefined ? { grant_type: grantType.slice(0, 200) } : {}) },
  };
}
