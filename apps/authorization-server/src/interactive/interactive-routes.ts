/**
 * The interactive path's endpoints, as one encapsulated plugin: `/authorize` (with its IdP callback and the consent
 * answer) and, when enabled, `/register`. Also purges what expired: requests in progress, spent codes, expired
 * refresh tokens and access-token records.
 */
import fastifyCookie from '@fastify/cookie';
import type { FastifyPluginAsync } from 'fastify';
import type { InteractiveContext } from './interactive-context.js';
import { authorizeRoute } from './routes/authorize-route.js';
import { consentRoute } from './routes/consent-route.js';
import { registrationRoute } from './routes/registration-route.js';
import { signInCallbackRoute } from './routes/sign-in-callback-route.js';

/** Where each endpoint of the interactive path lives, relative to the issuer. */
export const INTERACTIVE_PATHS = { authorization: '/authorize', registration: '/register' } as const;

/** See the module comment. */
export const interactiveRoutes: FastifyPluginAsync<{ interactive: InteractiveContext }> = async (
  app,
  { interactive },
) => {
  const ctx = interactive.ras;
  await app.register(fastifyCookie);
  await app.register(authorizeRoute, { interactive });
  await app.register(signInCallbackRoute, { interactive });
  await app.register(consentRoute, { interactive });
  if (ctx.config.interactive.dynamicClientRegistration) await app.register(registrationRoute, { ctx });

  const purge = () => {
    const nowMs = ctx.now();
    ctx.storage.interactive.pending.purgeExpired(nowMs);
    // Past the clock tolerance nothing issued then can still be presented (or still verify, for access tokens).
    ctx.storage.interactive.grants.purgeExpired(Math.floor(nowMs / 1000) - ctx.config.clockToleranceSeconds);
  };
  purge();
  const timer = setInterval(purge, ctx.config.purgeIntervalSeconds * 1000);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
};
