import { MEDIA_TYPE_JSON, TYP_ACCESS_TOKEN } from '@ema/protocol';
import type { FastifyPluginAsync } from 'fastify';
import { type CryptoKey, jwtVerify } from 'jose';

/** The floor's key and path. */
export interface VerifyFloorOptions {
  publicKey: CryptoKey;
  /** The path a tool call is sent to (the MCP endpoint's). */
  path: string;
}

const ALGORITHM = 'ES256';
const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/;

/**
 * The floor of a tool call: a bare Fastify endpoint that takes the same POST as an MCP `tools/call` (the same headers
 * and JSON body), verifies its bearer token with one ES256 verify (jose's `jwtVerify`, `typ` `at+jwt`), and answers a
 * small JSON-RPC result. No session, no scope, no tool, no storage, no audit, no logging: what every tool call costs
 * at least. Scenario 3 (and the SDK peer) are reported as a ratio of it.
 */
export const verifyFloorRoute: FastifyPluginAsync<VerifyFloorOptions> = async (app, options) => {
  app.post(options.path, async (request, reply) => {
    const match = BEARER.exec(request.headers.authorization ?? '');
    if (match?.[1] === undefined) return reply.code(401).send({ error: 'invalid_token' });
    try {
      await jwtVerify(match[1], options.publicKey, { algorithms: [ALGORITHM], typ: TYP_ACCESS_TOKEN });
    } catch {
      return reply.code(401).send({ error: 'invalid_token' });
    }
    const id =
      typeof request.body === 'object' && request.body !== null && 'id' in request.body ? request.body.id : null;
    reply.type(MEDIA_TYPE_JSON);
    return { jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: 'ok' }] } };
  });
};
