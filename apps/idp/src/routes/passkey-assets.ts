import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { PASSKEY_SCRIPT_PATH, WEBAUTHN_SCRIPT_PATH } from '../pages/layout.js';

// `@simplewebauthn/browser` exports only its modules; its one-file UMD bundle sits next to them in the package.
function webauthnBundle(): string {
  const main = createRequire(import.meta.url).resolve('@simplewebauthn/browser');
  return readFileSync(join(dirname(main), '..', 'dist', 'bundle', 'index.umd.min.js'), 'utf8');
}

// `assets/passkey.js` is two directories above this file both in `src/routes/` and in the built `dist/routes/`.
function passkeyScript(): string {
  return readFileSync(fileURLToPath(new URL('../../assets/passkey.js', import.meta.url)), 'utf8');
}

/**
 * The two scripts of the passkey pages, from the IdP's own origin (their CSP allows `script-src 'self'` only): the
 * `@simplewebauthn/browser` bundle and the IdP's `passkey.js`. Read once at start-up; a missing file stops the IdP.
 */
export const passkeyAssetRoutes: FastifyPluginAsync = async (fastify) => {
  const scripts = new Map([
    [WEBAUTHN_SCRIPT_PATH, webauthnBundle()],
    [PASSKEY_SCRIPT_PATH, passkeyScript()],
  ]);
  for (const [path, source] of scripts) {
    fastify.get(path, { schema: { response: { 200: Type.String() } } }, async (_request, reply) =>
      reply
        .type('text/javascript; charset=utf-8')
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-cache')
        .send(source),
    );
  }
};
