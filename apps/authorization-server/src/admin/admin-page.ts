import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { ADMIN_CSS } from './page/admin-css.js';
import { ADMIN_HTML } from './page/admin-html.js';
import { ADMIN_JS } from './page/admin-js.js';

// The page loads only its own script and stylesheet and talks only to this origin.
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; form-action 'self'; " +
  "base-uri 'none'; frame-ancestors 'none'";

function hardened(reply: FastifyReply, type: string): FastifyReply {
  return reply
    .type(type)
    .header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Referrer-Policy', 'same-origin')
    .header('Cache-Control', 'no-store');
}

/** The small admin page (`/admin`): static assets; everything it shows comes from the admin JSON API. */
export const adminPage: FastifyPluginAsync = async (app) => {
  const schema = { response: { 200: Type.String() } };
  app.get('/admin', { schema }, async (_request, reply) =>
    hardened(reply, 'text/html; charset=utf-8').send(ADMIN_HTML),
  );
  app.get('/admin/admin.js', { schema }, async (_request, reply) =>
    hardened(reply, 'text/javascript; charset=utf-8').send(ADMIN_JS),
  );
  app.get('/admin/admin.css', { schema }, async (_request, reply) =>
    hardened(reply, 'text/css; charset=utf-8').send(ADMIN_CSS),
  );
};
