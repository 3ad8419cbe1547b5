/**
 * The step-up sign-in (RFC 9470 at the IdP's token exchange or at the MCP server; OIDC Core §3.1.2.1 at the IdP):
 * the employee goes to the IdP with the `acr_values` / `max_age` asked for, comes back, and the action that asked is
 * tried again once. A cancelled or refused step-up is said plainly on the server page, and nothing is tried again.
 */
import { type InsufficientUserAuthenticationError, UnreachableError } from '@ema/ema-client';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { McpServerEntry } from '../config.js';
import { retryAction, saveServerView, serverView } from '../connections/server-actions.js';
import { type AgentHostContext, findServer } from '../context.js';
import { explain, explainStepUp, type StepUpFailure } from '../pages/messages.js';
import { cookieOptions, LOGIN_COOKIE, loadSession, SESSION_COOKIE } from '../session/session-cookie.js';
import type { PendingAction, PendingStepUp } from '../storage/pending-step-up.js';
import type { AgentSession, LoginAttempt } from '../storage/session-store.js';

const STEP_UP_TTL_SECONDS = 600;

/** Sends the employee to the IdP for the sign-in `error` asks for, remembering the action to try again. */
export async function startStepUp(
  context: AgentHostContext,
  reply: FastifyReply,
  session: AgentSession,
  server: McpServerEntry,
  action: PendingAction,
  error: InsufficientUserAuthenticationError,
): Promise<FastifyReply> {
  const asked = error.stepUp();
  try {
    const { attempt, url } = await context.idp.startSignIn(asked);
    const stepUp: PendingStepUp = { sessionIdHash: session.idHash, serverId: server.id, action, ...asked };
    const id = context.sessions.createLoginAttempt({ ...attempt, stepUp }, STEP_UP_TTL_SECONDS);
    reply.setCookie(LOGIN_COOKIE, id, cookieOptions(context, STEP_UP_TTL_SECONDS));
    return reply.redirect(url.href, 303);
  } catch (failure) {
    if (!(failure instanceof UnreachableError)) throw failure;
    const tool = action.kind === 'tool' ? action.tool : undefined;
    const view = serverView(context, session, server.id);
    saveServerView(context, session, server.id, { ...view, message: explain(failure, server.name, tool) });
    return reply.redirect(`/servers/${server.id}`, 303);
  }
}

// OIDC Core §3.1.2.6 / OpenID Connect Core Error Code unmet_authentication_requirements: what the IdP answered.
function failureOf(error: string): StepUpFailure {
  if (error === 'access_denied') return 'cancelled';
  if (error === 'unmet_authentication_requirements') return 'unmet';
  return 'failed';
}

/**
 * The IdP's answer to a step-up sign-in. Only for the session that started it (the attempt names it); the state is
 * checked before anything else. An error answer, another user, or a sign-in not of the class asked for: a plain
 * message, the session's tokens untouched. Otherwise the session takes the new tokens, every cached access token of
 * the user is dropped (they carry the old sign-in), and the action runs again, once.
 */
export async function finishStepUp(
  context: AgentHostContext,
  request: FastifyRequest,
  reply: FastifyReply,
  attempt: LoginAttempt & { stepUp: PendingStepUp },
  callbackUrl: URL,
): Promise<FastifyReply> {
  const { stepUp } = attempt;
  const session = loadSession(context, request);
  if (typeof session !== 'object' || session.idHash !== stepUp.sessionIdHash) {
    return reply.redirect('/?error=sign-in-failed', 303);
  }
  const server = findServer(context, stepUp.serverId);
  if (server === undefined) return reply.redirect('/servers', 303);
  const tool = stepUp.action.kind === 'tool' ? stepUp.action.tool : undefined;
  const fail = (failure: StepUpFailure, detail?: string) => {
    request.log.info({ server: server.id, failure }, 'step-up sign-in did not succeed');
    const message = explainStepUp(failure, server.name, tool, context.config.idp.accountUrl);
    if (message.signInAgain) {
      context.sessions.destroy(session.idHash);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.redirect('/?expired=1', 303);
    }
    const view = serverView(context, session, server.id);
    saveServerView(context, session, server.id, {
      ...view,
      message: detail === undefined ? message : { ...message, detail: `Your identity provider said: ${detail}` },
      ...(tool === undefined ? {} : { messageTool: tool }),
    });
    return reply.redirect(`/servers/${server.id}`, 303);
  };

  if (callbackUrl.searchParams.get('state') !== attempt.state) return fail('failed');
  const error = callbackUrl.searchParams.get('error');
  if (error !== null) {
    const description = callbackUrl.searchParams.get('error_description')?.slice(0, 300);
    return fail(failureOf(error), description === undefined ? error : `${description} (${error})`);
  }
  let signedIn: Awaited<ReturnType<typeof context.idp.finishSignIn>>;
  try {
    signedIn = await context.idp.finishSignIn(callbackUrl, attempt);
  } catch (failure) {
    request.log.warn({ reason: failure instanceof Error ? failure.message : String(failure) }, 'step-up refused');
    return fail('failed');
  }
  if (`${signedIn.issuer}|${signedIn.subject}` !== session.userKey) return fail('other-user');
  // RFC 9470 / OIDC Core §2: the new sign-in must be of a class asked for, or the action would only be refused again.
  const acceptable = stepUp.acrValues?.split(' ') ?? [];
  if (acceptable.length > 0 && (signedIn.acr === undefined || !acceptable.includes(signedIn.acr))) {
    return fail('not-confirmed');
  }
  context.sessions.updateTokens(session.idHash, signedIn);
  context.ema.forget(session.userKey);
  const raised: AgentSession = {
    ...session,
    idToken: signedIn.idToken,
    idTokenExpiresAt: signedIn.idTokenExpiresAt,
    refreshToken: signedIn.refreshToken,
  };
  request.log.info({ server: server.id, acr: signedIn.acr }, 'step-up sign-in; trying the action again');
  const result = await retryAction(context, raised, server, stepUp.action, request.log);
  if (result.kind === 'sign-in-again') {
    context.sessions.destroy(session.idHash);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/?expired=1', 303);
  }
  return reply.redirect(`/servers/${server.id}${result.kind === 'done' ? result.anchor : ''}`, 303);
}
