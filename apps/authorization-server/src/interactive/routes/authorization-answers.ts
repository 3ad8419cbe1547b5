/**
 * How the authorization endpoint answers, in one place: a page (errors before the redirect URI is verified, RFC 6749
 * §4.1.2.1, and refusals the user must read), or a redirect to the verified redirect URI with `state` and `iss`
 * (RFC 9207). Every refusal is written to the audit log with its reason.
 */
import { randomBytes } from 'node:crypto';
import { sendDocument } from '@ema/html';
import { type AuthorizationErrorCode, authorizationResponseUrl } from '@ema/oauth-server';
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RasContext } from '../../context.js';
import { messagePage } from '../pages/message-page.js';
import { secretHash } from '../storage/secret-hash.js';

/** Audit type of authorization requests and their outcome (sign-in started, refused, answered). */
export const AUTHORIZATION_AUDIT_TYPE = 'authorization.request';
/** Audit type of the user's answer on the consent screen. */
export const CONSENT_AUDIT_TYPE = 'authorization.consent';

/** The cookie holding this browser's secret; pending requests are keyed by its hash. */
export const BROWSER_COOKIE = 'ras_browser';
/** The CSRF purpose of the consent form (`@ema/html`'s one scheme, keyed by the browser secret). */
export const CONSENT_CSRF_PURPOSE = 'ras-consent';

/** What an answer records in the audit log. */
export interface AnswerAudit {
  type?: string;
  reason: string;
  clientId?: string;
  resource?: string;
  details?: Record<string, unknown>;
}

function record(ctx: RasContext, outcome: 'deny' | 'allow' | 'info', audit: AnswerAudit): void {
  ctx.storage.audit.record({
    type: audit.type ?? AUTHORIZATION_AUDIT_TYPE,
    outcome,
    reason: audit.reason,
    ...(audit.clientId === undefined ? {} : { clientId: audit.clientId.slice(0, 2000) }),
    ...(audit.resource === undefined ? {} : { resource: audit.resource }),
    ...(audit.details === undefined ? {} : { details: audit.details }),
  });
}

/** Answers with a page that ends the request (nothing is redirected), audited as refused. */
export function showRefusal(
  ctx: RasContext,
  reply: FastifyReply,
  status: number,
  page: { title: string; message: string; testId?: string; returnTo?: { href: string; host: string } },
  audit: AnswerAudit,
): FastifyReply {
  record(ctx, 'deny', audit);
  return sendDocument(
    reply,
    status,
    messagePage(page.title, page.message, {
      testId: page.testId ?? 'authorization-error',
      ...(page.returnTo === undefined ? {} : { returnTo: page.returnTo }),
    }),
  );
}

/** The URL of an error response to a verified redirect URI (RFC 6749 §4.1.2.1, with `iss`, RFC 9207). */
export function errorResponseUrl(
  ctx: RasContext,
  target: { redirectUri: string; state: string | undefined },
  error: AuthorizationErrorCode,
  description: string,
): string {
  return authorizationResponseUrl(target.redirectUri, ctx.config.issuer, target.state, { error, description });
}

/** Redirects an error to the verified redirect URI, audited as refused. */
export function redirectRefusal(
  ctx: RasContext,
  reply: FastifyReply,
  target: { redirectUri: string; state: string | undefined },
  error: AuthorizationErrorCode,
  description: string,
  audit: AnswerAudit,
): FastifyReply {
  record(ctx, 'deny', { ...audit, details: { error, ...audit.details } });
  return reply
    .code(302)
    .header('cache-control', 'no-store')
    .redirect(errorResponseUrl(ctx, target, error, description));
}

/** Redirects with an authorization code (and `state`, `iss`), audited as allowed. */
export function redirectCode(
  ctx: RasContext,
  reply: FastifyReply,
  target: { redirectUri: string; state: string },
  code: string,
  audit: AnswerAudit,
): FastifyReply {
  record(ctx, 'allow', audit);
  const location = authorizationResponseUrl(target.redirectUri, ctx.config.issuer, target.state, { code });
  return reply.code(302).header('cache-control', 'no-store').redirect(location);
}

/** Records an informational step of a request (the sign-in at the IdP started). */
export function recordStep(ctx: RasContext, audit: AnswerAudit): void {
  record(ctx, 'info', audit);
}

/** This browser's secret (from its cookie, or a new one set now) and its hash, the key of its pending requests. */
export function browserSecret(
  ctx: RasContext,
  request: FastifyRequest,
  reply: FastifyReply,
): { secret: string; hash: string } {
  const existing = request.cookies[BROWSER_COOKIE];
  const secret =
    existing !== undefined && /^[A-Za-z0-9_-]{43}$/.test(existing) ? existing : randomBytes(32).toString('base64url');
  if (secret !== existing) {
    reply.setCookie(BROWSER_COOKIE, secret, {
      path: '/authorize',
      httpOnly: true,
      // Lax: sent on the top-level navigation back from the IdP, never on a cross-site POST.
      sameSite: 'lax',
      secure: ctx.config.issuer.startsWith('https:'),
      maxAge: 86_400,
    });
  }
  return { secret, hash: secretHash(secret) };
}

/** The browser secret of a request that must already have one, with its hash. */
export function existingBrowserSecret(request: FastifyRequest): { secret: string; hash: string } | undefined {
  const secret = request.cookies[BROWSER_COOKIE];
  return secret === undefined ? undefined : { secret, hash: secretHash(secret) };
}
