import type { FastifyReply } from 'fastify';

// No script runs on these pages; frame-ancestors 'none' stops click-jacking of the sign-in form. No form-action:
// browsers apply it to the redirect that follows a sign-in, which must reach the client's redirect URI.
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/** Sends a server-rendered HTML page with the security headers every page carries. */
export function sendPage(reply: FastifyReply, status: number, document: string): FastifyReply {
  return reply.code(status).headers(PAGE_HEADERS).send(document);
}
