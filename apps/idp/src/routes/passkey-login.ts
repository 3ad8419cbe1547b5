import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { type IdpContext, nowSeconds } from '../idp-context.js';
import { acrOfMethods, combineMethods, passkeyMethods } from '../oidc/authentication-context.js';
import { verifyLoginCsrf } from '../session/csrf.js';
import { currentSession, startSession, upgradeSession } from '../session/sso-session.js';
import { abandonSignIn, continueSignIn } from '../sign-in/continue-sign-in.js';
import { sendPasskeyForm, sendSignInExpired } from '../sign-in/sign-in-pages.js';
import { findSignInRequest, signInChallengeBinding } from '../sign-in/sign-in-requests.js';
import { type AssertionProblem, verifyPasskeyAssertion } from '../webauthn/passkey-assertion.js';
import { ENDPOINT_PATHS } from './endpoint-paths.js';
import { htmlSchema } from './schemas.js';

const PasskeyForm = Type.Record(Type.String(), Type.String());
const PasskeyQuery = Type.Object({ request: Type.Optional(Type.String()) });
const pageStatuses = { 200: htmlSchema, 302: htmlSchema, 303: htmlSchema, 400: htmlSchema, 403: htmlSchema };

/** What the page tells the user about a refused passkey (the audit log has the precise reason). */
export function assertionRefusalText(problem: AssertionProblem | 'user_disabled'): string {
  switch (problem) {
    case 'challenge_missing':
      return 'This passkey answer was already used or has expired. Please try again.';
    case 'unknown_credential':
      return 'This passkey is not registered at the Acme IdP.';
    case 'foreign_credential':
    case 'user_handle_mismatch':
      return 'This passkey belongs to another account.';
    case 'user_not_verified':
      return 'Your passkey did not verify you (with its PIN or biometrics). Please try again.';
    case 'counter_regressed':
      return 'This passkey was refused: it may have been copied. Please contact your IT team.';
    case 'user_disabled':
      return 'This account is disabled.';
    default:
      return 'The passkey answer could not be verified. Please try again.';
  }
}

/**
 * The passkey step of a pending sign-in. `GET /login/passkey?request=<id>` shows the page with a fresh challenge
 * (see `sendPasskeyForm`). `POST /login/passkey` checks the CSRF token, then either gives the sign-in up (`cancel`),
 * or verifies the assertion (WebAuthn L3 §7.2, see `verifyPasskeyAssertion`): as a second factor it raises the
 * user's session (same session, password kept, `mfa` added, new cookie); as a first factor it starts a new one.
 * Every refusal is audited (`sign_in` failure, reason `passkey_<problem>`) and changes nothing but the spent
 * challenge; the page comes back with a new one.
 */
export const passkeyLoginRoutes: FastifyPluginAsyncTypebox<{ context: IdpContext }> = async (fastify, { context }) => {
  fastify.get(
    ENDPOINT_PATHS.passkeyLogin,
    { schema: { querystring: PasskeyQuery, response: pageStatuses } },
    async (request, reply) => {
      const signIn = findSignInRequest(context, request.query.request);
      if (signIn === undefined) return sendSignInExpired(reply);
      return sendPasskeyForm(context, request, reply, signIn, currentSession(context, request));
    },
  );

  fastify.post(
    ENDPOINT_PATHS.passkeyLogin,
    { schema: { body: PasskeyForm, response: pageStatuses } },
    async (request, reply) => {
      const form = request.body;
      const signIn = findSignInRequest(context, form.request_id);
      if (signIn === undefined) return sendSignInExpired(reply);
      const active = currentSession(context, request);
      if (!verifyLoginCsrf(context, request, { signIn }, form.csrf_token)) {
        return sendPasskeyForm(context, request, reply, signIn, active, {
          status: 403,
          error: 'Your sign-in page expired. Please try again.',
        });
      }
      if (form.cancel === 'cancelled' || form.cancel === 'no_passkey') {
        context.audit.record({
          type: 'sign_in',
          outcome: 'failure',
          reason: form.cancel,
          ...(active === undefined ? {} : { subject: active.user.id }),
          details: { method: 'passkey', address: request.ip },
        });
        return form.cancel === 'no_passkey'
          ? abandonSignIn(
              context,
              reply,
              signIn,
              'unmet_authentication_requirements',
              'the user has no passkey for the second factor required',
            )
          : abandonSignIn(context, reply, signIn, 'access_denied', 'the user cancelled the sign-in');
      }

      const outcome = await verifyPasskeyAssertion(context, signInChallengeBinding(signIn), form.credential);
      const user = outcome.ok ? context.storage.findUserById(outcome.passkey.userId) : undefined;
      if (!outcome.ok || user === undefined || user.disabled) {
        const problem = outcome.ok ? 'user_disabled' : outcome.problem;
        context.audit.record({
          type: 'sign_in',
          outcome: 'failure',
          reason: `passkey_${problem}`,
          ...(outcome.ok ? { subject: outcome.passkey.userId } : {}),
          details: {
            method: 'passkey',
            credentialId: outcome.ok ? outcome.passkey.credentialId : (outcome.credentialId?.slice(0, 200) ?? null),
            address: request.ip,
          },
        });
        return sendPasskeyForm(context, request, reply, signIn, active, {
          status: 400,
          error: assertionRefusalText(problem),
        });
      }

      const methods = passkeyMethods(outcome.passkey.deviceType);
      // The same user's session: the passkey is a further factor on it. Anyone else's (or none): a new sign-in.
      const raised =
        active !== undefined && active.user.id === user.id
          ? upgradeSession(context, reply, active, combineMethods(active.session.amr, methods))
          : undefined;
      let signedIn = raised;
      if (signedIn === undefined) {
        if (active !== undefined) context.storage.endSession(active.session.id, nowSeconds(context));
        signedIn = startSession(context, reply, user, methods);
      }
      context.storage.setSignInRequestSession(signIn.id, signedIn.session.id);
      context.audit.record({
        type: 'sign_in',
        outcome: 'success',
        subject: user.id,
        details: {
          username: user.username,
          method: 'passkey',
          step: raised === undefined ? 'first_factor' : 'second_factor',
          credentialId: outcome.passkey.credentialId,
          sid: signedIn.session.id,
          amr: signedIn.session.amr,
          acr: acrOfMethods(signedIn.session.amr),
          clientId: signIn.target.kind === 'authorization' ? (signIn.target.parameters.client_id ?? null) : null,
        },
      });
      return continueSignIn(context, request, reply, { ...signIn, sessionId: signedIn.session.id }, signedIn);
    },
  );
};
