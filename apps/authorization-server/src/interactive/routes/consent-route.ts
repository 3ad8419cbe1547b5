/**
 * `POST /authorize/consent`: the user's answer. Single use (the request in progress is deleted first), bound to the
 * browser that started it, CSRF-protected (`@ema/html`'s one scheme, keyed by the browser's secret). Allow stores the
 * grant and its authorization code and redirects with it; deny redirects `access_denied`. Both with `state` and `iss`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { CSRF_FIELD, verifyCsrfToken } from '@ema/html';
import { formBodyParser } from '@ema/oauth-server/fastify';
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { InteractiveContext } from '../interactive-context.js';
import {
  CONSENT_AUDIT_TYPE,
  CONSENT_CSRF_PURPOSE,
  existingBrowserSecret,
  redirectCode,
  redirectRefusal,
  showRefusal,
} from './authorization-answers.js';

const Form = Type.Record(Type.String(), Type.String());
const Html = Type.String();

/** See the module comment. */
export const consentRoute: FastifyPluginAsyncTypebox<{ interactive: InteractiveContext }> = async (
  app,
  { interactive },
) => {
  const ctx = interactive.ras;
  const { pending, grants } = ctx.storage.interactive;
  const createWithCode = ctx.storage.transactional(grants.createWithCode);
  await app.register(formBodyParser, { bodyLimit: 8 * 1024 });

  app.post(
    '/authorize/consent',
    { schema: { body: Form, response: { 302: Html, 400: Html, 403: Html } } },
    async (request, reply) => {
      const form = request.body;
      const browser = existingBrowserSecret(request);
      const requestId = form.request_id;
      const found =
        browser === undefined || requestId === undefined ? undefined : pending.find(requestId, browser.hash, ctx.now());
      if (browser === undefined || found?.decision === undefined) {
        return showRefusal(
          ctx,
          reply,
          400,
          {
            title: 'Request expired',
            message: 'This authorization request is unknown or has expired. Start again from the application.',
          },
          { type: CONSENT_AUDIT_TYPE, reason: 'ERR_CONSENT_UNKNOWN_REQUEST' },
        );
      }
      const { request: authorization, decision } = found;
      const audit = { type: CONSENT_AUDIT_TYPE, clientId: authorization.clientId, resource: authorization.resource };
      if (!verifyCsrfToken(browser.secret, CONSENT_CSRF_PURPOSE, form[CSRF_FIELD])) {
        return showRefusal(
          ctx,
          reply,
          403,
          {
            title: 'Request refused',
            message: 'The form could not be verified. Start again from the application.',
          },
          { ...audit, reason: 'ERR_CONSENT_CSRF' },
        );
      }
      // Single use: of two answers to one request, one deletes it; the other finds nothing.
      if (!pending.delete(found.requestId)) {
        return showRefusal(
          ctx,
          reply,
          400,
          { title: 'Request expired', message: 'This request was already answered.' },
          {
            ...audit,
            reason: 'ERR_CONSENT_ALREADY_ANSWERED',
          },
        );
      }
      const details = { account_id: decision.accountId, scope: decision.scope, id_jag_jti: decision.authorization.jti };
      if (form.decision !== 'allow') {
        return redirectRefusal(ctx, reply, authorization, 'access_denied', 'the user denied the request', {
          ...audit,
          reason: 'ERR_CONSENT_DENIED',
          details,
        });
      }
      const code = randomBytes(32).toString('base64url');
      const grantId = randomUUID();
      const nowMs = ctx.now();
      createWithCode(
        {
          grant: {
            grantId,
            clientId: authorization.clientId,
            accountId: decision.accountId,
            resource: decision.resource,
            scope: decision.scope,
            authorization: decision.authorization,
          },
          idpRefreshToken: decision.idpRefreshToken,
          code,
          redirectUri: authorization.redirectUri,
          codeChallenge: authorization.codeChallenge,
          issueRefreshToken: found.client.refreshTokens,
          codeExpiresAt: Math.floor(nowMs / 1000) + ctx.config.interactive.authorizationCodeTtlSeconds,
        },
        nowMs,
      );
      return redirectCode(ctx, reply, authorization, code, {
        ...audit,
        reason: 'consent_given',
        details: { ...details, grant_id: grantId },
      });
    },
  );
};
