import type { FastifyReply } from 'fastify';
import type { SafeHtml } from './html.js';

// No script runs on these pages: a strict CSP, no framing, no referrer (URLs may carry codes).
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/** Sends a server-rendered page with the security headers every page carries. */
export function sendPage(reply: FastifyReply, status: number, page: SafeHtml): FastifyReply {
  return reply.code(status).headers(PAGE_HEADERS).send(page.value);
}
