/**
 * The Fastify adapter of the push receiver (RFC 8935 §2): one `POST` route whose body, whatever its media type, is
 * read as text (at most `MAX_SET_BYTES`) and handed to the neutral receiver, which refuses anything that is not an
 * `application/secevent+jwt` SET. The route is rate-limited per client address with `@fastify/rate-limit`, registered
 * here (only for this route) unless the app already has it. Encapsulated: its parser and error handler stay local.
 */

import { PushErrorResponse } from '@ema/protocol';
import rateLimit from '@fastify/rate-limit';
import { Type } from '@sinclair/typebox';
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { MAX_SET_BYTES, type PushAnswer, type PushReceiver } from '../receiver/push-receiver.js';

/** Options of {@link pushEndpoint}. */
export interface PushEndpointOptions {
  /** The route path, e.g. `/ssf/events`. */
  path: string;
  receiver: PushReceiver;
  /** At most `max` requests per `timeWindowMs` from one client address (default 120 per minute). */
  rateLimit?: { max: number; timeWindowMs: number };
  /** Told about each answer (for the app's log and audit). */
  onAnswer?: (answer: PushAnswer, request: FastifyRequest) => void;
}

const refusal = (description: string) => ({ err: 'invalid_request' as const, description });

/** Registers the push route. */
export const pushEndpoint: FastifyPluginAsync<PushEndpointOptions> = async (app, options) => {
  const limit = options.rateLimit ?? { max: 120, timeWindowMs: 60_000 };
  if (!app.hasDecorator('rateLimit')) await app.register(rateLimit, { global: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: MAX_SET_BYTES }, (_request, body, done) => {
    done(null, body);
  });
  // RFC 8935 §2.3: malformed requests are 400 invalid_request; a flood is 429 (a transmitter retries it later).
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const status = error.statusCode ?? 500;
    if (status === 429) return reply.code(429).send({ err: 'access_denied', description: 'too many requests' });
    if (status >= 400 && status < 500) return reply.code(400).send(refusal('the request is not a valid SET'));
    request.log.error({ err: error }, 'SET receipt failed');
    return reply.code(500).send();
  });

  app.post(
    options.path,
    {
      config: { rateLimit: { max: limit.max, timeWindow: limit.timeWindowMs } },
      schema: {
        response: { 202: Type.Unknown({ description: 'empty' }), 400: PushErrorResponse, 503: Type.Unknown() },
      },
    },
    async (request, reply) => {
      const answer = await options.receiver({
        contentType: request.headers['content-type'],
        authorization: request.headers.authorization,
        body: request.body,
      });
      options.onAnswer?.(answer, request);
      reply.header('cache-control', 'no-store');
      switch (answer.status) {
        case 202:
          return reply.code(202).send();
        case 400:
          return reply.code(400).send(answer.body);
        case 503:
          return reply.code(503).header('retry-after', '5').send();
      }
    },
  );
};
