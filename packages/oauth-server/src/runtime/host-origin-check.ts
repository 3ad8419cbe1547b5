import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { InvalidRequestError } from '../errors/token-errors.js';
import {
  checkHostAndOrigin,
  HOST_ORIGIN_REFUSAL_STATUS,
  type HostOriginPolicyOptions,
  type HostOriginRefusal,
  hostOriginPolicy,
} from '../host-origin/check-host-and-origin.js';
import { sendOAuthError } from './error-boundary.js';

/** Options of {@link hostOriginCheck}. */
export interface HostOriginCheckOptions extends HostOriginPolicyOptions {
  /** The app's public URL (issuer, resource identifier, base URL): its host and origin are the accepted ones. */
  readonly publicUrl: string;
  /** Check `Origin` on every method, not only state-changing ones (MCP Streamable HTTP). Default false. */
  readonly originOnEveryMethod?: boolean;
  /** Paths left unchecked. Default `['/healthz']`: probes reach a server by whatever address they have. */
  readonly exemptPaths?: readonly string[];
  /** Writes the refusal. Default: the RFC 6749 §5.2 body `invalid_request`, with `no-store`. */
  readonly refuse?: (reply: FastifyReply, refusal: HostOriginRefusal, status: number) => FastifyReply;
}

const DESCRIPTIONS: Readonly<Record<HostOriginRefusal, string>> = {
  host_missing: 'the Host header is required',
  host_not_allowed: 'the Host header does not name this server',
  origin_not_allowed: 'cross-origin requests are not accepted here',
};

function refuseWithOAuthError(reply: FastifyReply, refusal: HostOriginRefusal, status: number): FastifyReply {
  return sendOAuthError(reply, new InvalidRequestError(DESCRIPTIONS[refusal]), status);
}

async function register(fastify: FastifyInstance, options: HostOriginCheckOptions): Promise<void> {
  const policy = hostOriginPolicy(options.publicUrl, options);
  const exempt = new Set(options.exemptPaths ?? ['/healthz']);
  const refuse = options.refuse ?? refuseWithOAuthError;
  const checkOptions = { originOnEveryMethod: options.originOnEveryMethod ?? false };
  // Callback style: the check is synchronous and runs on every request.
  fastify.addHook('onRequest', (request, reply, done) => {
    const query = request.url.indexOf('?');
    if (exempt.has(query === -1 ? request.url : request.url.slice(0, query))) return done();
    const { host, origin } = request.headers;
    const refusal = checkHostAndOrigin({ method: request.method, host, origin }, policy, checkOptions);
    if (refusal === undefined) return done();
    request.log.warn({ refusal }, 'request refused by the Host/Origin check');
    refuse(reply, refusal, HOST_ORIGIN_REFUSAL_STATUS[refusal]);
  });
}

/**
 * The Fastify adapter of {@link checkHostAndOrigin} (cross-cutting: register it first, at the root): every request
 * whose `Host` does not name this server is answered 421 (400 without `Host`), and every state-changing request from
 * a foreign `Origin` 403, before any other hook, parser or route runs.
 */
export const hostOriginCheck = fastifyPlugin(register, { name: '@ema/oauth-server/host-origin-check', fastify: '5.x' });
