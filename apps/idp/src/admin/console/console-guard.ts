import { sendDocument as sendPage } from '@ema/html';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IdpContext } from '../../idp-context.js';
import { messagePage } from '../../pages/message-page.js';
import { ADMIN_GROUP } from '../../seed/demo-world.js';
import { sessionCsrfToken, verifySessionCsrf } from '../../session/csrf.js';
import { type ActiveSession, currentSession } from '../../session/sso-session.js';
import type { AdminActor } from '../admin-audit.js';
import { isAdmin } from '../admin-auth.js';

/** An admin signed in to the console. */
export interface ConsoleAdmin {
  readonly active: ActiveSession;
  readonly actor: AdminActor;
  readonly csrfToken: string;
}

/**
 * The console's gate: no session -> the sign-in page (returning here); a non-admin -> a 403 page; for a form
 * POST, the session-bound CSRF token must match. Returns undefined when it has already answered.
 */
export function requireConsoleAdmin(
  context: IdpContext,
  request: FastifyRequest,
  reply: FastifyReply,
  form?: Readonly<Record<string, string>>,
): ConsoleAdmin | undefined {
  const active = currentSession(context, request);
  if (active === undefined) {
    const returnTo = request.method === 'GET' ? request.url : '/admin';
    void reply.code(302).redirect(`/login?return_to=${encodeURIComponent(returnTo)}`);
    return undefined;
  }
  if (!isAdmin(active)) {
    void sendPage(
      reply,
      403,
      messagePage('Forbidden', `Only members of ${ADMIN_GROUP} may use the admin console.`, { error: true }),
    );
    return undefined;
  }
  if (form !== undefined && !verifySessionCsrf(active.token, form.csrf_token)) {
    void sendPage(
      reply,
      403,
      messagePage('Forbidden', 'The form expired (CSRF check failed). Reload and try again.', { error: true }),
    );
    return undefined;
  }
  return { active, actor: { name: active.user.username }, csrfToken: sessionCsrfToken(active.token) };
}
