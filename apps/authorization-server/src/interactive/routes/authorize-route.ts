/**
 * `GET /authorize` (RFC 6749 §4.1.1): validates the request (client and redirect URI first, shown on a page when
 * wrong; then response type, PKCE S256, state, resource and scopes, redirected when wrong), remembers it for this
 * browser, and sends the user to sign in at the enterprise IdP.
 */
import { randomBytes } from 'node:crypto';
import {
  type AuthorizationParameters,
  isLoopbackRedirectUri,
  readAuthorizationClientId,
  validateAuthorizationRequest,
} from '@ema/oauth-server';
import { GRANT_TYPE_REFRESH_TOKEN } from '@ema/protocol';
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { IdpUnavailableError } from '../idp-relying-party.js';
import type { InteractiveContext } from '../interactive-context.js';
import type { InteractiveClient } from '../storage/interactive-clients.js';
import type { ClientDisplay } from '../storage/pending-authorizations.js';
import { browserSecret, recordStep, redirectRefusal, showRefusal } from './authorization-answers.js';

const Query = Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]));
const Html = Type.String();

function clientDisplay(client: InteractiveClient, redirectUri: string): ClientDisplay {
  const url = new URL(redirectUri);
  return {
    name: client.metadata.clientName,
    clientUri: client.metadata.clientUri,
    redirectHost: url.host,
    loopbackRedirect: isLoopbackRedirectUri(url),
    kind: client.kind,
    refreshTokens: client.metadata.grantTypes.includes(GRANT_TYPE_REFRESH_TOKEN),
  };
}

/** See the module comment. */
export const authorizeRoute: FastifyPluginAsyncTypebox<{ interactive: InteractiveContext }> = async (
  app,
  { interactive },
) => {
  const ctx = interactive.ras;
  const { registry } = ctx.storage;
  const { defaultScopes } = ctx.config.interactive;
  const resources = {
    findResource: (resource: string) => {
      const found = registry.findResource(resource);
      return found && { ...found, defaultScopes };
    },
    defaultResource: () => {
      const served = registry.listResources();
      return served.length === 1 && served[0] ? { ...served[0], defaultScopes } : undefined;
    },
  };

  app.get(
    '/authorize',
    { schema: { querystring: Query, response: { 200: Html, 302: Html, 400: Html } } },
    async (request, reply) => {
      const parameters: AuthorizationParameters = request.query;
      const clientId = readAuthorizationClientId(parameters);
      if (typeof clientId !== 'string') {
        return showRefusal(
          ctx,
          reply,
          400,
          { title: 'Request refused', message: clientId.description },
          {
            reason: clientId.reason,
          },
        );
      }
      const resolved = await interactive.resolveClient(clientId);
      if (!resolved.ok) {
        return showRefusal(
          ctx,
          reply,
          400,
          { title: 'Unknown application', message: resolved.description },
          {
            reason: resolved.reason,
            clientId,
          },
        );
      }
      const { client } = resolved;
      const outcome = validateAuthorizationRequest(
        parameters,
        { clientId, redirectUris: client.metadata.redirectUris },
        resources,
      );
      if (outcome.kind === 'show_error') {
        return showRefusal(
          ctx,
          reply,
          400,
          { title: 'Request refused', message: outcome.description },
          {
            reason: outcome.reason,
            clientId,
          },
        );
      }
      if (outcome.kind === 'redirect_error') {
        return redirectRefusal(ctx, reply, outcome, outcome.error, outcome.description, {
          reason: outcome.error,
          clientId,
          details: { description: outcome.description },
        });
      }
      const authorization = outcome.request;
      let signIn: Awaited<ReturnType<typeof interactive.relyingParty.startSignIn>>;
      try {
        signIn = await interactive.relyingParty.startSignIn();
      } catch (error) {
        if (!(error instanceof IdpUnavailableError)) throw error;
        request.log.warn({ reason: error.message }, 'the IdP is unreachable');
        return redirectRefusal(
          ctx,
          reply,
          authorization,
          'temporarily_unavailable',
          'the sign-in service is unreachable',
          {
            reason: 'ERR_IDP_UNREACHABLE',
            clientId,
          },
        );
      }
      const browser = browserSecret(ctx, request, reply);
      const requestId = randomBytes(16).toString('base64url');
      ctx.storage.interactive.pending.create(
        {
          requestId,
          request: authorization,
          client: clientDisplay(client, authorization.redirectUri),
          signIn: signIn.attempt,
          decision: undefined,
          expiresAt: ctx.now() + ctx.config.interactive.authorizationRequestTtlSeconds * 1000,
        },
        browser.hash,
      );
      recordStep(ctx, {
        reason: 'sign_in_started',
        clientId,
        resource: authorization.resource,
        details: { request_id: requestId, requested_scope: authorization.scopes.join(' '), client_kind: client.kind },
      });
      return reply.code(302).header('cache-control', 'no-store').redirect(signIn.url.href);
    },
  );
};
