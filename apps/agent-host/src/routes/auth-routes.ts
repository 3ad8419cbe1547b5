/**
 * Sign-in with the organization (OIDC authorization code + PKCE S256 + state + nonce) and sign-out. The login
 * attempt is bound to the browser by a short-lived signed cookie; its state, nonce and verifier stay server-side.
 */

import { UnreachableError } from '@ema/ema-client';
import { sendPage } from '@ema/html';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AgentHostContext } from '../context.js';
import { type SignInReason, signInPage } from '../pages/sign-in-page.js';
import {
  cookieOptions,
  LOGIN_COOKIE,
  loadSession,
  readSignedCookie,
  requireSession,
  SESSION_COOKIE,
  sessionOf,
  validCsrf,
} from '../session/session-cookie.js';
import { finishStepUp } from './step-up.js';

const LOGIN_ATTEMPT_TTL_SECONDS = 600;
const html = Type.String();
const redirect = Type.Null();

/** See the module comment. */
export const authRoutes: FastifyPluginAsyncTypebox<{ context: AgentHostContext }> = async (fastify, { context }) => {
  fastify.get(
    '/',
    {
      schema: {
        querystring: Type.Object({
          expired: Type.Optional(Type.String()),
          'signed-out': Type.Optional(Type.String()),
          error: Type.Optional(Type.String()),
        }),
        response: { 200: html, 303: redirect },
      },
    },
    async (request, reply) => {
      const session = loadSession(context, request);
      if (typeof session === 'object') return reply.redirect('/servers', 303);
      const query = request.query;
      let reason: SignInReason;
      if (query.expired !== undefined || session === 'expired') reason = 'expired';
      else if (query['signed-out'] !== undefined) reason = 'signed-out';
      else if (query.error === 'idp-unreachable') reason = 'idp-unreachable';
      else if (query.error !== undefined) reason = 'failed';
      if (session === 'expired') reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return sendPage(reply, 200, signInPage(reason));
    },
  );

  fastify.get(
    '/auth/signin',
    {
      schema: {
        querystring: Type.Object({ reauth: Type.Optional(Type.String()) }),
        response: { 302: redirect, 303: redirect },
      },
    },
    async (request, reply) => {
      try {
        const { attempt, url } = await context.idp.startSignIn({ forceLogin: request.query.reauth !== undefined });
        const id = context.sessions.createLoginAttempt(attempt, LOGIN_ATTEMPT_TTL_SECONDS);
        reply.setCookie(LOGIN_COOKIE, id, cookieOptions(context, LOGIN_ATTEMPT_TTL_SECONDS));
        return reply.redirect(url.href, 302);
      } catch (error) {
        if (error instanceof UnreachableError) return reply.redirect('/?error=idp-unreachable', 303);
        throw error;
      }
    },
  );

  fastify.get(
    '/auth/callback',
    {
      schema: {
        querystring: Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())])),
        response: { 302: redirect, 303: redirect },
      },
    },
    async (request, reply) => {
      const attemptId = readSignedCookie(request, LOGIN_COOKIE);
      reply.clearCookie(LOGIN_COOKIE, { path: '/' });
      // Single use, and only for the browser that started it (the cookie): a forged callback finds nothing.
      const attempt = attemptId === undefined ? undefined : context.sessions.takeLoginAttempt(attemptId);
      if (!attempt) return reply.redirect('/?error=no-login-attempt', 303);
      const callbackUrl = new URL(request.url, context.config.baseUrl);
      // A step-up sign-in raises the current session and tries the action that asked for it again.
      if (attempt.stepUp !== undefined) {
        return finishStepUp(context, request, reply, { ...attempt, stepUp: attempt.stepUp }, callbackUrl);
      }
      try {
        const signedIn = await context.idp.finishSignIn(callbackUrl, attempt);
        const id = context.sessions.create(
          {
            userKey: `${signedIn.issuer}|${signedIn.subject}`,
            subject: signedIn.subject,
            name: signedIn.name,
            email: signedIn.email,
            idToken: signedIn.idToken,
            idTokenExpiresAt: signedIn.idTokenExpiresAt,
            refreshToken: signedIn.refreshToken,
          },
          context.config.sessionTtlSeconds,
        );
        reply.setCookie(SESSION_COOKIE, id, cookieOptions(context, context.config.sessionTtlSeconds));
        request.log.info({ sub: signedIn.subject }, 'signed in');
        return reply.redirect('/servers', 303);
      } catch (error) {
        // The reason (state mismatch, bad ID token, IdP error answer) goes to the log, not to the page.
        request.log.warn(
          { reason: error instanceof Error ? error.message : String(error) },
          'sign-in callback refused',
        );
        return reply.redirect(
          error instanceof UnreachableError ? '/?error=idp-unreachable' : '/?error=sign-in-failed',
          303,
        );
      }
    },
  );

  fastify.post(
    '/auth/signout',
    {
      preHandler: requireSession(context),
      schema: {
        body: Type.Object({ csrf_token: Type.Optional(Type.String()) }),
        response: { 303: redirect, 403: html },
      },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      if (!validCsrf(request, request.body.csrf_token))
        return reply.code(403).type('text/plain').send('Invalid form token.');
      context.sessions.destroy(session.idHash);
      context.ema.forget(session.userKey);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      // OIDC RP-Initiated Logout: end the IdP session too; it sends the browser back to our home page.
      const endSession = await context.idp.endSessionUrl(session.idToken);
      return reply.redirect(endSession?.href ?? '/?signed-out=1', 303);
    },
  );
};
