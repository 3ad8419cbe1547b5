import type { SafeHtml } from '@ema/html';
import { sendDocument as sendPage } from '@ema/html';
import { OAuthError } from '@ema/oauth-server';
import type { FastifyReply } from 'fastify';
import { adminPage } from '../../pages/admin/admin-page.js';
import type { ConsoleAdmin } from './console-guard.js';

// Fixed notices (the query only picks one), so a crafted link cannot put arbitrary text on a console page.
const NOTICES: Record<string, string> = {
  created: 'Created.',
  updated: 'Saved.',
  deleted: 'Deleted.',
  revoked: 'Sessions revoked: the user is signed out everywhere.',
  rotated: 'Signing key rotated. The retired key stays published until its tokens expire.',
  passkeys_reset:
    'Passkeys reset, and the user signed out everywhere. They sign in with their password and add a new passkey on their account page.',
};

/** Renders a console page. */
export function renderConsole(
  reply: FastifyReply,
  admin: ConsoleAdmin,
  title: string,
  content: SafeHtml,
  options: { status?: number; done?: string | undefined; error?: string } = {},
): FastifyReply {
  const notice = options.done === undefined ? undefined : NOTICES[options.done];
  return sendPage(
    reply,
    options.status ?? 200,
    adminPage({
      title,
      adminName: admin.active.user.username,
      csrfToken: admin.csrfToken,
      notice,
      error: options.error,
      content,
    }),
  );
}

/** After a successful form POST: back to the list (303, Post/Redirect/Get) with a fixed notice. */
export function redirectDone(reply: FastifyReply, path: string, done: keyof typeof NOTICES): FastifyReply {
  return reply.code(303).redirect(`${path}?done=${done}`);
}

/** Runs a console change; a refused change (an OAuth error from the admin operations) becomes its message. */
export async function attempt<T>(
  work: () => T | Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof OAuthError && error.expose) return { ok: false, error: error.description ?? error.error };
    throw error;
  }
}
