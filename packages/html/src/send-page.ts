import type { FastifyReply } from 'fastify';
import type { SafeHtml } from './html.js';

/**
 * The headers every server-rendered page carries (the agent host's and the IdP's). No script runs on these pages:
 * a strict CSP, frame-ancestors 'none' and X-Frame-Options stop click-jacking of the sign-in form, no referrer to
 * another origin (URLs may carry codes). `same-origin`, not `no-referrer`: under `no-referrer` a browser sends
 * `Origin: null` with the page's own form posts (Fetch, "append a request `Origin` header"), which the apps' Origin
 * check must refuse, since an attacker's page can send the same. No form-action: browsers apply it to the redirect that follows a sign-in, which must reach the
 * client's redirect URI.
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
});

/**
 * The headers of the few pages that need script (the IdP's passkey pages: WebAuthn is a browser API). The same as
 * {@link PAGE_HEADERS} except `script-src 'self'`: scripts only from the page's own origin, as files; no inline
 * script, no `eval`, nothing from elsewhere. Every other page keeps `default-src 'none'` and runs no script.
 */
export const SCRIPTED_PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  ...PAGE_HEADERS,
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
});

/** Sends a page built with {@link html} with {@link PAGE_HEADERS}. */
export function sendPage(reply: FastifyReply, status: number, page: SafeHtml): FastifyReply {
  return sendDocument(reply, status, page.value);
}

/** Sends a complete HTML document already rendered to a string (from {@link html}) with {@link PAGE_HEADERS}. */
export function sendDocument(reply: FastifyReply, status: number, document: string): FastifyReply {
  return reply.code(status).headers(PAGE_HEADERS).send(document);
}

/** Sends a complete HTML document that loads same-origin scripts, with {@link SCRIPTED_PAGE_HEADERS}. */
export function sendScriptedDocument(reply: FastifyReply, status: number, document: string): FastifyReply {
  return reply.code(status).headers(SCRIPTED_PAGE_HEADERS).send(document);
}
