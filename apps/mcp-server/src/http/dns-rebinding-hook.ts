import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import { JSON_RPC_SERVER_ERROR, jsonRpcError } from '../mcp/json-rpc-error.js';
import { checkDnsRebinding, type DnsRebindingPolicy, defaultDnsRebindingPolicy } from './dns-rebinding.js';

/** Configured allow-lists; `null` takes the default of {@link defaultDnsRebindingPolicy}. */
export interface DnsRebindingHookOptions {
  resource: string;
  allowedHosts: readonly string[] | null;
  allowedOrigins: readonly string[] | null;
}

const MESSAGES = {
  host_not_allowed: 'Forbidden: Host header not allowed',
  origin_not_allowed: 'Forbidden: Origin header not allowed',
} as const;

/**
 * The Fastify adapter of {@link checkDnsRebinding}: refuses with 403 before anything else runs (no token is
 * looked at for a request a rebound page made).
 */
export function dnsRebindingHook(app: FastifyInstance, options: DnsRebindingHookOptions): onRequestAsyncHookHandler {
  function policy(): DnsRebindingPolicy {
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : undefined;
    const defaults = defaultDnsRebindingPolicy(options.resource, port);
    return {
      allowedHosts: options.allowedHosts ?? defaults.allowedHosts,
      allowedOrigins: options.allowedOrigins ?? defaults.allowedOrigins,
    };
  }
  return async (request, reply) => {
    const refusal = checkDnsRebinding({ host: request.headers.host, origin: request.headers.origin }, policy());
    if (refusal === undefined) return;
    request.log.warn({ refusal }, 'request refused by DNS-rebinding protection');
    return reply.code(403).send(jsonRpcError(JSON_RPC_SERVER_ERROR, MESSAGES[refusal]));
  };
}
