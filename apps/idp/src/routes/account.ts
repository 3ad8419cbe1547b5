import { sendDocument, sendScriptedDocument } from '@ema/html';
import { ACR_MULTI_FACTOR, AMR_MULTI_FACTOR } from '@ema/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { type IdpContext, nowSeconds } from '../idp-context.js';
import { accountPage } from '../pages/account-page.js';
import { messagePage } from '../pages/message-page.js';
import { accountCsrfToken, verifyAccountCsrf } from '../session/csrf.js';
import { type ActiveSession, currentSession } from '../session/sso-session.js';
import { sendPasswordForm } from '../sign-in/sign-in-pages.js';
import { startSignInRequest } from '../sign-in/sign-in-requests.js';
import {
  type RegistrationProblem,
  registrationOptions,
  verifyPasskeyRegistration,
} from '../webauthn/passkey-registration.js';
import { ENDPOINT_PATHS } from './endpoint-paths.js';
import { htmlSchema } from './schemas.js';

/**
 * How recent the sign-in must be to add or remove a passkey. A session left open on a shared computer must not be
 * enough to plant a passkey that would then pass every second-factor check.
 */
export const PASSKEY_CHANGE_MAX_AGE_SECONDS = 300;

const Form = Type.Record(Type.String(), Type.String());
const Done = Type.Object({ done: Type.Optional(Type.String()) });
const pageStatuses = { 200: htmlSchema, 302: htmlSchema, 303: htmlSchema, 400: htmlSchema, 403: htmlSchema };
const NOTICES: Record<string, string> = { added: 'Passkey added.', removed: 'Passkey removed.' };

/**
 * Whether this session may change the user's passkeys: a sign-in at most {@link PASSKEY_CHANGE_MAX_AGE_SECONDS}
 * old and, once the user has a passkey, one made with a passkey (`mfa`). The first passkey needs only the password:
 * someone must enrol it, and the password is what the employee has (an administrator's reset returns here).
 */
function mayChangePasskeys(context: IdpContext, active: ActiveSession, passkeyCount: number): boolean {
  const fresh = nowSeconds(context) - active.session.authTime <= PASSKEY_CHANGE_MAX_AGE_SECONDS;
  return fresh && (passkeyCount === 0 || active.session.amr.includes(AMR_MULTI_FACTOR));
}

function registrationRefusalText(problem: RegistrationProblem): string {
  switch (problem) {
    case 'challenge_missing':
      return 'This passkey answer was already used or has expired. Please try again.';
    case 'already_registered':
      return 'This passkey is registered already.';
    case 'user_not_verified':
      return 'Your authenticator did not verify you (with a PIN or biometrics). Please try again.';
    default:
      return 'The new passkey could not be verified. Please try again.';
  }
}

/**
 * The employee's account page (`/account`): their passkeys, adding one (WebAuthn L3 §7.1, see
 * `verifyPasskeyRegistration`) and removing one, each audited (`passkey.register`, `passkey.remove`). Changes need
 * a recent sign-in (see {@link mayChangePasskeys}); `/account/confirm` asks for one.
 */
export const accountRoutes: FastifyPluginAsyncTypebox<{ context: IdpContext }> = async (fastify, { context }) => {
  const { storage } = context;
  const signInFirst = (reply: FastifyReply) =>
    reply.code(302).redirect(`${ENDPOINT_PATHS.login}?return_to=${encodeURIComponent(ENDPOINT_PATHS.account)}`);
  const show = async (
    reply: FastifyReply,
    active: ActiveSession,
    options: { status?: number; notice?: string; error?: string } = {},
  ) => {
    const passkeys = storage.listPasskeys(active.user.id);
    const registration = mayChangePasskeys(context, active, passkeys.length)
      ? await registrationOptions(context, active.user, `session:${active.session.id}`)
      : undefined;
    const page = accountPage({
      name: active.user.name,
      username: active.user.username,
      passkeys,
      csrfToken: accountCsrfToken(active.token),
      ...(registration === undefined ? {} : { registration }),
      ...(options.notice === undefined ? {} : { notice: options.notice }),
      ...(options.error === undefined ? {} : { error: options.error }),
    });
    const send = registration === undefined ? sendDocument : sendScriptedDocument;
    return send(reply, options.status ?? 200, page);
  };
  const refuse = (reply: FastifyReply, status: number, text: string) =>
    sendDocument(
      reply,
      status,
      messagePage('Not changed', text, { error: true, link: { href: '/account', text: 'Back to your account' } }),
    );

  fastify.get(
    ENDPOINT_PATHS.account,
    { schema: { querystring: Done, response: pageStatuses } },
    async (request, reply) => {
      const active = currentSession(context, request);
      if (active === undefined) return signInFirst(reply);
      const notice = request.query.done === undefined ? undefined : NOTICES[request.query.done];
      return show(reply, active, notice === undefined ? {} : { notice });
    },
  );

  fastify.get(`${ENDPOINT_PATHS.account}/confirm`, { schema: { response: pageStatuses } }, async (request, reply) => {
    const active = currentSession(context, request);
    const hasPasskeys = active !== undefined && storage.listPasskeys(active.user.id).length > 0;
    const signIn = startSignInRequest(
      context,
      { kind: 'return', path: ENDPOINT_PATHS.account },
      { acr: hasPasskeys ? ACR_MULTI_FACTOR : null, maxAgeSeconds: null, reauthenticate: true },
    );
    return sendPasswordForm(context, request, reply, signIn);
  });

  fastify.post(
    `${ENDPOINT_PATHS.account}/passkeys`,
    { schema: { body: Form, response: pageStatuses } },
    async (request, reply) => {
      const active = currentSession(context, request);
      if (active === undefined) return signInFirst(reply);
      const form = request.body;
      if (!verifyAccountCsrf(active.token, form.csrf_token))
        return refuse(reply, 403, 'The form expired. Please try again.');
      if (!mayChangePasskeys(context, active, storage.listPasskeys(active.user.id).length)) {
        return refuse(reply, 403, 'Sign in again before you add a passkey.');
      }
      const name = (form.name ?? '').trim().slice(0, 60) || 'Passkey';
      const outcome = await verifyPasskeyRegistration(context, {
        user: active.user,
        binding: `session:${active.session.id}`,
        posted: form.credential,
        name,
      });
      context.audit.record({
        type: 'passkey.register',
        outcome: outcome.ok ? 'success' : 'failure',
        ...(outcome.ok ? {} : { reason: `passkey_${outcome.problem}` }),
        subject: active.user.id,
        details: outcome.ok
          ? { credentialId: outcome.passkey.credentialId, name, deviceType: outcome.passkey.deviceType }
          : { name },
      });
      if (!outcome.ok) return show(reply, active, { status: 400, error: registrationRefusalText(outcome.problem) });
      return reply.code(303).redirect(`${ENDPOINT_PATHS.account}?done=added`);
    },
  );

  fastify.post(
    `${ENDPOINT_PATHS.account}/passkeys/:credentialId/delete`,
    { schema: { params: Type.Object({ credentialId: Type.String() }), body: Form, response: pageStatuses } },
    async (request, reply) => {
      const active = currentSession(context, request);
      if (active === undefined) return signInFirst(reply);
      if (!verifyAccountCsrf(active.token, request.body.csrf_token)) {
        return refuse(reply, 403, 'The form expired. Please try again.');
      }
      if (!mayChangePasskeys(context, active, storage.listPasskeys(active.user.id).length)) {
        return refuse(reply, 403, 'Sign in again with a passkey before you remove one.');
      }
      const { credentialId } = request.params;
      if (!storage.deletePasskey(active.user.id, credentialId)) return refuse(reply, 400, 'No such passkey.');
      context.audit.record({
        type: 'passkey.remove',
        outcome: 'success',
        subject: active.user.id,
        details: { credentialId },
      });
      return reply.code(303).redirect(`${ENDPOINT_PATHS.account}?done=removed`);
    },
  );
};
