/**
 * `POST /ssf/events`: where the RAS pushes its Security Events (RFC 8935), rate-limited. Refusals answer the RFC 8935
 * body; the precise reason goes to the log.
 */
import type { PushReceiver } from '@ema/shared-signals';
import { pushEndpoint } from '@ema/shared-signals/fastify';
import type { FastifyPluginAsync } from 'fastify';

/** The push path, on this server's origin (the RAS registry holds `<origin>/ssf/events` for this resource). */
export const SSF_EVENTS_PATH = '/ssf/events';

/** Registers the receiver route. */
export const revocationRoutes: FastifyPluginAsync<{ receive: PushReceiver }> = async (app, options) => {
  await app.register(pushEndpoint, {
    path: SSF_EVENTS_PATH,
    receiver: options.receive,
    // The RAS sends a handful per revocation; a flood from one address is cut off before any signature check.
    rateLimit: { max: 600, timeWindowMs: 60_000 },
    onAnswer: (answer, request) => {
      if (answer.status !== 202)
        request.log.warn({ status: answer.status, reason: answer.reason }, 'Security Event refused');
    },
  });
};
