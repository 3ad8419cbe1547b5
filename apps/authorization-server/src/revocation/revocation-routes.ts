/**
 * `POST /ssf/events`: where this RAS receives its IdPs' Security Events (RFC 8935 push), rate-limited, through the
 * receiver of `RasSignals`. Every refusal is audited with its precise reason (the transmitter gets the RFC 8935
 * body only).
 */
import { pushEndpoint } from '@ema/shared-signals/fastify';
import type { FastifyPluginAsync } from 'fastify';
import { SSF_PUSH_PATH } from '../config.js';
import type { RasContext } from '../context.js';

/** Registers the push endpoint. */
export const revocationRoutes: FastifyPluginAsync<{ ctx: RasContext }> = async (app, { ctx }) => {
  await app.register(pushEndpoint, {
    path: SSF_PUSH_PATH,
    receiver: ctx.signals.receive,
    // An IdP sends a handful per change; a flood from one address is cut off before any signature check.
    rateLimit: { max: 600, timeWindowMs: 60_000 },
    onAnswer: (answer, request) => {
      if (answer.status === 202) return;
      ctx.storage.audit.record({
        type: 'ssf.received',
        outcome: answer.status === 400 ? 'deny' : 'failure',
        reason: answer.reason,
        details: answer.status === 400 ? { err: answer.body.err } : { status: answer.status },
      });
      request.log.info({ status: answer.status, reason: answer.reason }, 'Security Event refused');
    },
  });
};
