/** The pages of a pending sign-in: the password form, the passkey pages, and the "expired" page. */
import { sendDocument, sendScriptedDocument } from '@ema/html';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type IdpContext, nowSeconds } from '../idp-context.js';
import { loginPage } from '../pages/login-page.js';
import { messagePage } from '../pages/message-page.js';
import { noPasskeyPage, passkeyPage } from '../pages/passkey-page.js';
import { loginCsrfToken } from '../session/csrf.js';
import type { ActiveSession } from '../session/sso-session.js';
import type { SignInRequest } from '../storage/sign-in-types.js';
import { assertionOptions } from '../webauthn/passkey-assertion.js';
import { signInChallengeBinding } from './sign-in-requests.js';
import { nextSignInStep } from './sign-in-requirement.js';

/** The name of the client a sign-in is for, if it is for one. */
export function clientNameOf(context: IdpContext, signIn: SignInRequest): string | undefined {
  if (signIn.target.kind !== 'authorization') return undefined;
  const clientId = signIn.target.parameters.client_id;
  return clientId === undefined ? undefined : context.storage.findClient(clientId)?.name;
}

/** The password form of a pending sign-in. */
export function sendPasswordForm(
  context: IdpContext,
  request: FastifyRequest,
  reply: FastifyReply,
  signIn: SignInRequest,
  options: { status?: number; username?: string; error?: string } = {},
): FastifyReply {
  const clientName = clientNameOf(context, signIn);
  const page = loginPage({
    csrfToken: loginCsrfToken(context, request, reply, { signIn }),
    requestId: signIn.id,
    ...(clientName === undefined ? {} : { clientName }),
    ...(options.username === undefined ? {} : { username: options.username }),
    ...(options.error === undefined ? {} : { error: options.error }),
  });
  return sendDocument(reply, options.status ?? 200, page);
}

/**
 * The passkey page of a pending sign-in, with a fresh challenge: the second factor of the signed-in user when only
 * that is missing (or how to get a passkey, when they have none), otherwise a sign-in with any passkey.
 */
export async function sendPasskeyForm(
  context: IdpContext,
  request: FastifyRequest,
  reply: FastifyReply,
  signIn: SignInRequest,
  active: ActiveSession | undefined,
  options: { status?: number; error?: string } = {},
): Promise<FastifyReply> {
  const clientName = clientNameOf(context, signIn);
  const csrfToken = loginCsrfToken(context, request, reply, { signIn });
  const named = clientName === undefined ? {} : { clientName };
  const cancellable = signIn.target.kind === 'authorization';
  const step = nextSignInStep(signIn.requirement, signIn.sessionId, active, nowSeconds(context));
  const secondFactor = step === 'second_factor' && active !== undefined ? active : undefined;
  if (secondFactor !== undefined && context.storage.listPasskeys(secondFactor.user.id).length === 0) {
    return sendDocument(reply, 200, noPasskeyPage({ csrfToken, requestId: signIn.id, cancellable, ...named }));
  }
  const binding = signInChallengeBinding(signIn);
  const page = passkeyPage({
    mode: secondFactor === undefined ? 'sign_in' : 'second_factor',
    options: await assertionOptions(context, binding, secondFactor?.user.id ?? null),
    csrfToken,
    requestId: signIn.id,
    cancellable,
    ...named,
    ...(secondFactor === undefined ? {} : { username: secondFactor.user.username }),
    ...(options.error === undefined ? {} : { error: options.error }),
  });
  return sendScriptedDocument(reply, options.status ?? 200, page);
}

/** A form of a sign-in that is unknown, already answered or expired: start again from the application. */
export function sendSignInExpired(reply: FastifyReply): FastifyReply {
  return sendDocument(
    reply,
    400,
    messagePage(
      'Sign-in expired',
      'This sign-in page has expired or was already used. Go back to the application and start again.',
      { error: true },
    ),
  );
}
