import { sendDocument as sendPage } from '@ema/html';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type IdpContext, nowSeconds } from '../idp-context.js';
import { authorizationResponseUrl, parseAuthorizationRequest } from '../oidc/authorization-request.js';
import { issueAuthorizationCode } from '../oidc/issue-authorization-code.js';
import { AMR_PASSWORD } from '../oidc/supported-values.js';
import { loginPage } from '../pages/login-page.js';
import { createPasswordVerifier } from '../password/password-verifier.js';
import { loginCsrfToken, verifyLoginCsrf } from '../session/csrf.js';
import { createSignInThrottle } from '../session/sign-in-throttle.js';
import { type ActiveSession, currentSession, startSession } from '../session/sso-session.js';
import { sendAuthorizationError } from './authorization-outcome.js';
import { ENDPOINT_PATHS } from './endpoint-paths.js';
import { htmlSchema } from './schemas.js';

const LoginForm = Type.Record(Type.String(), Type.String());
const LoginQuery = Type.Object({ return_to: Type.Optional(Type.String()) });
const FORM_FIELDS = new Set(['username', 'password', 'csrf_token', 'return_to']);

// Resolved against a placeholder origin only to normalise `..`, `//` and percent-encoding.
const RETURN_TO_BASE = 'http://idp.invalid';
const ADMIN_PATH = /^\/admin(?:\/|$)/;

/**
 * Only same-origin paths of the admin console may be returned to after a console sign-in (RFC 9700 §4.11: no
 * open redirect). The value is normalised (so `/admin/../x` cannot leave the console) and rebuilt from printable
 * ASCII only, so a CR/LF or non-Latin-1 character can never reach the `Location` header.
 */
export function safeReturnTo(value: string | undefined): string {
  if (value === undefined || !/^\/admin(?:[/?]|$)/.test(value) || /[^\x21-\x7e]|\\/.test(value)) {
    return ENDPOINT_PATHS.admin;
  }
  const url = new URL(value, RETURN_TO_BASE);
  if (url.origin !== RETURN_TO_BASE || !ADMIN_PATH.test(url.pathname)) return ENDPOINT_PATHS.admin;
  return `${url.pathname}${url.search}`;
}

/**
 * The sign-in form. `GET /login?return_to=/admin...` shows it for the admin console; `POST /login` checks the
 * CSRF token and the password (scrypt), starts the SSO session, then completes the authorization request the
 * form carries (redirecting with a code) or returns to the console.
 */
export const loginRoutes: FastifyPluginAsyncTypebox<{ context: IdpContext }> = async (fastify, { context }) => {
  const passwords = createPasswordVerifier(context.config.passwordHashCost);
  // Computed now, so that not even the first unknown-username attempt pays for hashing the decoy.
  await passwords.ready();
  const throttle = createSignInThrottle();

  const showForm = (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    form: Record<string, string>,
    error?: string,
  ) => {
    const hidden: Record<string, string> = {};
    for (const [name, value] of Object.entries(form)) if (!FORM_FIELDS.has(name)) hidden[name] = value;
    if (form.client_id === undefined) hidden.return_to = safeReturnTo(form.return_to);
    const clientName = form.client_id === undefined ? undefined : context.storage.findClient(form.client_id)?.name;
    const csrfToken = loginCsrfToken(context, request, reply);
    return sendPage(
      reply,
      status,
      loginPage({
        csrfToken,
        hidden,
        ...(clientName === undefined ? {} : { clientName }),
        ...(form.username === undefined ? {} : { username: form.username }),
        ...(error === undefined ? {} : { error }),
      }),
    );
  };

  fastify.get(
    ENDPOINT_PATHS.login,
    { schema: { querystring: LoginQuery, response: { 200: htmlSchema } } },
    async (request, reply) => showForm(request, reply, 200, { return_to: safeReturnTo(request.query.return_to) }),
  );

  fastify.post(
    ENDPOINT_PATHS.login,
    {
      schema: {
        body: LoginForm,
        response: {
          200: htmlSchema,
          302: htmlSchema,
          400: htmlSchema,
          401: htmlSchema,
          403: htmlSchema,
          429: htmlSchema,
        },
      },
    },
    async (request, reply) => {
      const form = request.body;
      if (!verifyLoginCsrf(request, form.csrf_token)) {
        return showForm(request, reply, 403, form, 'Your sign-in form expired. Please sign in again.');
      }
      // Re-validate the carried authorization request: hidden fields are client-controlled input.
      const authz = form.client_id === undefined ? undefined : parseAuthorizationRequest(form, context.storage);
      if (authz !== undefined && authz.kind !== 'valid') return sendAuthorizationError(context, reply, authz);

      const username = form.username ?? '';
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
        return showForm(request, reply, 429, form, 'Too many failed sign-in attempts. Please try again later.');
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
        return showForm(request, reply, 401, form, 'Incorrect username or password.');
      }
      throttle.recordSuccess(username, request.ip);
      // A fresh session id on every sign-in (no session fixation); the previous one ends.
      const previous = currentSession(context, request);
      if (previous !== undefined) context.storage.endSession(previous.session.id, nowSeconds(context));
      const active: ActiveSession = startSession(context, reply, user, [AMR_PASSWORD]);
      context.audit.record({
        type: 'sign_in',
        outcome: 'success',
        subject: user.id,
        details: { username, sid: active.session.id, amr: active.session.amr, clientId: form.client_id ?? null },
      });
      if (authz === undefined) return reply.code(302).redirect(safeReturnTo(form.return_to));
      const code = issueAuthorizationCode(context, authz.request, active);
      const location = authorizationResponseUrl(authz.request.redirectUri, context.config.issuer, authz.request.state, {
        code,
      });
      return reply.code(302).header('cache-control', 'no-store').redirect(location);
    },
  );
};
