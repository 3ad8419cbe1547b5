import { STORAGE_RETRY_AFTER_SECONDS } from '@ema/oauth-server';
import { isStorageUnavailable } from '@ema/storage';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import {
  JSON_RPC_INTERNAL_ERROR,
  JSON_RPC_INVALID_REQUEST,
  JSON_RPC_PARSE_ERROR,
  JSON_RPC_SERVER_ERROR,
  jsonRpcError,
  SERVICE_UNAVAILABLE_MESSAGE,
} from './json-rpc-error.js';

/**
 * The error boundary of the MCP endpoint: body problems Fastify detects before the transport sees the request are
 * answered in the transport's own JSON-RPC error shape; a storage outage (an audit record that cannot be written on
 * a full disk) is a logged 503 with `Retry-After`; anything else is a logged 500 that leaks nothing.
 */
export async function mcpErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  if (error.validation !== undefined) {
    return reply.code(400).send(jsonRpcError(JSON_RPC_INVALID_REQUEST, 'Invalid Request: not a JSON-RPC message'));
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return reply.code(400).send(jsonRpcError(JSON_RPC_PARSE_ERROR, 'Parse error: Invalid JSON'));
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return reply
        .code(415)
        .send(jsonRpcError(JSON_RPC_SERVER_ERROR, 'Unsupported Media Type: Content-Type must be application/json'));
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return reply.code(413).send(jsonRpcError(JSON_RPC_SERVER_ERROR, 'Payload Too Large'));
    default:
      if (isStorageUnavailable(error)) {
        request.log.error({ err: error }, 'storage unavailable on the MCP endpoint');
        return reply
          .code(503)
          .header('retry-after', String(STORAGE_RETRY_AFTER_SECONDS))
          .send(jsonRpcError(JSON_RPC_SERVER_ERROR, SERVICE_UNAVAILABLE_MESSAGE));
      }
      request.log.error({ err: error }, 'unexpected error on the MCP endpoint');
      return reply.code(500).send(jsonRpcError(JSON_RPC_INTERNAL_ERROR, 'Internal error'));
  }
}
