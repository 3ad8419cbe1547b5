import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';

const healthResponse = Type.Object({ status: Type.Literal('ok') }, { additionalProperties: false });

/**
 * `GET /healthz` -> `200 {"status":"ok"}`, for load balancers and the start script. Its requests are logged from
 * `warn` up only: whatever polls it would otherwise fill the log with two info lines per poll.
 */
export async function healthz(fastify: FastifyInstance): Promise<void> {
  fastify.get('/healthz', { logLevel: 'warn', schema: { response: { 200: healthResponse } } }, async () => ({
    status: 'ok' as const,
  }));
}
