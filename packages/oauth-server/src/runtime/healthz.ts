import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';

const healthResponse = Type.Object({ status: Type.Literal('ok') }, { additionalProperties: false });

/** `GET /healthz` -> `200 {"status":"ok"}`, for load balancers and the start script. */
export async function healthz(fastify: FastifyInstance): Promise<void> {
  fastify.get('/healthz', { schema: { response: { 200: healthResponse } } }, async () => ({ status: 'ok' as const }));
}
