/**
 * `GET /authorize/callback`: the IdP sends the browser back here after the sign-in. The sign-in is completed (state,
 * `iss`, PKCE, ID token with nonce), then the organization decides (identity chaining: an ID-JAG for this server, for
 * the requested resource and scopes, through the IdP's policy), and the user sees the consent screen with what the
 * organization granted, or the organization's refusal.
 */
import { csrfToken, sendDocument } from '@ema/html';
import { parseScope, TOKEN_TYPE_ID_TOKEN } from '@ema/protocol';
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { organizationDecision } from '../identity-chaining.js';
import { IdpUnavailableError } from '../idp-relying-party.js';
import type { InteractiveContext } from '../interactive-context.js';
import { consentPage } from '../pages/consent-page.js';
import {
  CONSENT_CSRF_PURPOSE,
  errorResponseUrl,
  existingBrowserSecret,
  recordStep,
  redirectRefusal,
  showRefusal,
} from './authorization-answers.js';

const Query = Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]));
const Html = Type.String();

/** See the module comment. */
export const signInCallbackRoute: FastifyPluginAsyncTypebox<{ interactive: InteractiveContext }> = async (
  app,
  { interactive },
) => {
  const ctx = interactive.ras;
  const { pending } = ctx.storage.interactive;

  app.get(
    '/authorize/callback',
    { schema: { querystring: Query, response: { 200: Html, 302: Html, 400: Html, 403: Html } } },
    async (request, reply) => {
      const browser = existingBrowserSecret(request);
      const state = request.query.state;
      const found =
        browser === undefined || typeof state !== 'string'
          ? undefined
          : pending.findBySignInState(state, browser.hash, ctx.now());
      // Not this browser's, expired, or forged: nothing is known to redirect to.
      if (browser === undefined || found === undefined) {
        return showRefusal(
          ctx,
          reply,
          400,
          {
            title: 'Sign-in expired',
            message: 'This sign-in is unknown or has expired. Start again from the application.',
          },
          { reason: 'ERR_SIGN_IN_UNKNOWN' },
        );
      }
      const { request: authorization, requestId } = found;
      const audit = { clientId: authorization.clientId, resource: authorization.resource };
      const end = () => pending.delete(requestId);

      if (request.query.error !== undefined) {
        end();
        return redirectRefusal(ctx, reply, authorization, 'access_denied', 'the user did not sign in', {
          ...audit,
          reason: 'ERR_SIGN_IN_REFUSED',
          details: { idp_error: String(request.query.error).slice(0, 100) },
        });
      }
      let signedIn: Awaited<ReturnType<typeof interactive.relyingParty.finishSignIn>>;
      let outcome: Awaited<ReturnType<typeof interactive.chain>>;
      try {
        signedIn = await interactive.relyingParty.finishSignIn(new URL(request.url, ctx.config.issuer), found.signIn);
        outcome = await interactive.chain({
          subjectToken: signedIn.idToken,
          subjectTokenType: TOKEN_TYPE_ID_TOKEN,
          resource: authorization.resource,
          scopes: authorization.scopes,
          clientId: authorization.clientId,
        });
      } catch (error) {
        end();
        if (error instanceof IdpUnavailableError) {
          request.log.warn({ reason: error.message }, 'the IdP is unreachable');
          return redirectRefusal(
            ctx,
            reply,
            authorization,
            'temporarily_unavailable',
            'the sign-in service is unreachable',
            {
              ...audit,
              reason: 'ERR_IDP_UNREACHABLE',
            },
          );
        }
        // A bad state, iss, code or ID token: the reason goes to the log, not to the client.
        request.log.warn(
          { reason: error instanceof Error ? error.message : String(error) },
          'sign-in callback refused',
        );
        return redirectRefusal(ctx, reply, authorization, 'server_error', 'the sign-in could not be completed', {
          ...audit,
          reason: 'ERR_SIGN_IN_FAILED',
        });
      }
      const resourceName = ctx.storage.registry.findResource(authorization.resource)?.name ?? authorization.resource;
      const clientName = found.client.name ?? 'This application';
      if (!outcome.ok && outcome.refusal === 'step_up' && found.signIn.stepUp !== true) {
        // RFC 9470 §4 / ID-JAG §4.3.3: the organization needs a more recent or stronger sign-in; ask once.
        try {
          const again = await interactive.relyingParty.startSignIn(outcome.stepUp);
          pending.replaceSignIn(requestId, { ...again.attempt, stepUp: true });
          recordStep(ctx, { ...audit, reason: 'step_up_sign_in', details: { ...outcome.stepUp } });
          return reply.code(302).header('cache-control', 'no-store').redirect(again.url.href);
        } catch (error) {
          if (!(error instanceof IdpUnavailableError)) throw error;
        }
      }
      if (!outcome.ok) {
        end();
        if (outcome.refusal === 'organization' || outcome.refusal === 'step_up') {
          // The organization's policy refused: the user reads why, then returns to the application with access_denied.
          const href = errorResponseUrl(ctx, authorization, 'access_denied', "refused by the organization's policy");
          return showRefusal(
            ctx,
            reply,
            403,
            {
              title: 'Access refused by your organization',
              message:
                outcome.refusal === 'step_up'
                  ? `Your organization requires a more recent or stronger sign-in for ${resourceName} than this one.`
                  : `Your organization does not allow ${clientName} to use ${resourceName} on your behalf.`,
              testId: 'organization-refusal',
              returnTo: { href, host: found.client.redirectHost },
            },
            { ...audit, reason: 'ERR_REFUSED_BY_ORGANIZATION', details: { idp_error: outcome.error } },
          );
        }
        return redirectRefusal(
          ctx,
          reply,
          authorization,
          'server_error',
          "the organization's answer was not accepted",
          {
            ...audit,
            reason: 'ERR_CHAINING_FAILED',
            details: { cause: outcome.error, detail: outcome.description ?? null },
          },
        );
      }
      const { accepted } = outcome;
      const granted = parseScope(accepted.scope);
      pending.setDecision(requestId, {
        accountId: accepted.account.accountId,
        userName: signedIn.userName,
        resource: accepted.resource,
        scope: accepted.scope,
        authorization: organizationDecision(accepted.claims),
        idpRefreshToken: signedIn.refreshToken ?? null,
      });
      return sendDocument(
        reply,
        200,
        consentPage({
          requestId,
          csrfToken: csrfToken(browser.secret, CONSENT_CSRF_PURPOSE),
          client: found.client,
          clientId: authorization.clientId,
          userName: signedIn.userName,
          resourceName,
          resource: accepted.resource,
          scopes: granted,
          withheld: authorization.scopes.filter((scope) => !granted.includes(scope)),
        }),
      );
    },
  );
};
