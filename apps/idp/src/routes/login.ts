import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { type IdpContext, nowSeconds } from '../idp-context.js';
import { acrOfMethods, PASSWORD_METHODS } from '../oidc/authentication-context.js';
import { createPasswordVerifier } from '../password/password-verifier.js';
import { verifyLoginCsrf } from '../session/csrf.js';
import { createSignInThrottle, SIGN_IN_THROTTLE_DEFAULTS } from '../session/sign-in-throttle.js';
import { currentSession, startSession } from '../session/sso-session.js';
import { continueSignIn } from '../sign-in/continue-sign-in.js';
import { sendPasswordForm, sendSignInExpired } from '../sign-in/sign-in-pages.js';
import { findSignInRequest, startSignInRequest } from '../sign-in/sign-in-requests.js';
import { ENDPOINT_PATHS } from './endpoint-paths.js';
import { htmlSchema } from './schemas.js';

const LoginForm = Type.Record(Type.String(), Type.String());
const LoginQuery = Type.Object({ return_to: Type.Optional(Type.String()), request: Type.Optional(Type.String()) });

// Resolved against a placeholder origin only to normalise `..`, `//` and percent-encoding.
const RETURN_TO_BASE = 'http://idp.invalid';
const IDP_PAGE = /^\/(?:admin|account)(?:[/?]|$)/;
const IDP_PAGE_PATH = /^\/(?:admin|account)(?:\/|$)/;

/**
 * Only same-origin paths of the IdP's own pages (the admin console, the account page) may be returned to after a
 * sign-in (RFC 9700 §4.11: no open redirect). The value is normalised (so `/admin/../x` cannot leave them) and
 * rebuilt from printable ASCII only, so a CR/LF or non-Latin-1 character can never reach the `Location` header.
 */
export function safeReturnTo(value: string | undefined): string {
  if (value === undefined || !IDP_PAGE.test(value) || /[^\x21-\x7e]|\\/.test(value)) return ENDPOINT_PATHS.admin;
  const url = new URL(value, RETURN_TO_BASE);
  if (url.origin !== RETURN_TO_BASE || !IDP_PAGE_PATH.test(url.pathname)) return ENDPOINT_PATHS.admin;
  return `${url.pathname}${url.search}`;
}

/**
 * The password sign-in. `GET /login?return_to=/admin...` starts a console sign-in (a fresh one: a signed-in user may
 * sign in as someone else), `GET /login?request=<id>` shows the form of a pending sign-in again. `POST /login`
 * checks the CSRF token (bound to the pending request), the throttle and the password (scrypt), starts the SSO
 * session, then moves the pending sign-in on: a code for the client, the passkey page when a second factor is
 * asked for, or back to the IdP page.
 */
export const loginRoutes: FastifyPluginAsyncTypebox<{ context: IdpContext }> = async (fastify, { context }) => {
  const passwords = createPasswordVerifier(context.config.passwordHashCost);
  // Computed now, so that not even the first unknown-username attempt pays for hashing the decoy.
  await passwords.ready();
  // Windows in the database: every instance sharing it counts the same failures.
  const throttle = createSignInThrottle(SIGN_IN_THROTTLE_DEFAULTS, context.storage);

  fastify.get(
    ENDPOINT_PATHS.login,
    { schema: { querystring: LoginQuery, response: { 200: htmlSchema, 400: htmlSchema } } },
    async (request, reply) => {
      if (request.query.request !== undefined) {
        const signIn = findSignInRequest(context, request.query.request);
        return signIn === undefined ? sendSignInExpired(reply) : sendPasswordForm(context, request, reply, signIn);
      }
      const target = { kind: 'return' as const, path: safeReturnTo(request.query.return_to) };
      const signIn = startSignInRequest(context, target, { acr: null, maxAgeSeconds: null, reauthenticate: true });
      return sendPasswordForm(context, request, reply, signIn);
    },
  );

  fastify.post(
    ENDPOINT_PATHS.login,
    {
      schema: {
        body: LoginForm,
        response: {
          200: htmlSchema,
          302: htmlSchema,
          303: htmlSchema,
          400: htmlSchema,
          401: htmlSchema,
          403: htmlSchema,
          429: htmlSchema,
        },
      },
    },
    async (request, reply) => {
      const form = request.body;
      const signIn = findSignInRequest(context, form.request_id);
      if (signIn === undefined) return sendSignInExpired(reply);
      const username = form.username ?? '';
      const again = (status: number, error: string) =>
        sendPasswordForm(context, request, reply, signIn, { status, username, error });
      if (!verifyLoginCsrf(context, request, { signIn }, form.csrf_token)) {
        return again(403, 'Your sign-in form expired. Please sign in again.');
      }
      // Bounded: a password typed into the username field should not land whole in the audit log.
      const loggedUsername = username.slice(0, 64);
      const now = nowSeconds(context);
      // Checked before scrypt, for every username alike, so a blocked attempt reveals nothing and costs nothing.
      const retryAfter = throttle.retryAfter(username, request.ip, now);
      if (retryAfter > 0) {
        context.audit.record({
          type: 'sign_in',
          outcome: 'failure',
          reason: 'throttled',
          details: { username: loggedUsername, address: request.ip },
        });
        reply.header('retry-after', String(retryAfter));
        return again(429, 'Too many failed sign-in attempts. Please try again later.');
      }
      const user = context.storage.findUserByUsername(username);
      const matches = await passwords.verify(user, form.password ?? '');
      if (user === undefined || !matches || user.disabled) {
        throttle.recordFailure(username, request.ip, now);
        context.audit.record({
          type: 'sign_in',
          outcome: 'failure',
          reason: user === undefined ? 'unknown_user' : !matches ? 'wrong_password' : 'user_disabled',
          ...(user === undefined ? {} : { subject: user.id }),
          details: { username: loggedUsername, address: request.ip },
        });
        return again(401, 'Incorrect username or password.');
      }
      throttle.recordSuccess(username, request.ip);
      // A fresh session id on every sign-in (no session fixation); the previous one ends.
      const previous = currentSession(context, request);
      if (previous !== undefined) context.storage.endSession(previous.session.id, now);
      const active = startSession(context, reply, user, [...PASSWORD_METHODS]);
      context.storage.setSignInRequestSession(signIn.id, active.session.id);
      const clientId = signIn.target.kind === 'authorization' ? (signIn.target.parameters.client_id ?? null) : null;
      context.audit.record({
        type: 'sign_in',
        outcome: 'success',
        subject: user.id,
        details: {
          username,
          method: 'password',
          sid: active.session.id,
          amr: active.session.amr,
          acr: acrOfMethods(active.session.amr),
          clientId,
        },
      });
      return continueSignIn(context, request, reply, { ...signIn, sessionId: active.session.id }, active);
    },
  );
};
