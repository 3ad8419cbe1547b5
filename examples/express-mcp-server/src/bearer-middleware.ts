/**
 * The Express adapter of `@ema/resource-server`, written here to show how little it takes: the neutral core decides
 * (verify, refuse, check scopes), and these middlewares only read the request and send the answer it gives.
 */
import {
  type AccessTokenPrincipal,
  type BearerRefusal,
  bearerRefusal,
  findScopeShortfall,
  insufficientScopeRefusal,
  protectedResourceMetadataUrl,
  type ToolScopes,
  type VerifyBearerTokenOptions,
  verifyBearerToken,
} from '@ema/resource-server';
import type { Request, RequestHandler, Response } from 'express';

// The verified token of each request, without widening Express's Request type.
const principals = new WeakMap<Request, AccessTokenPrincipal>();

/**
 * Requires a valid bearer token: mount it before `express.json()`, so an unauthenticated request is refused with
 * the RFC 6750 §3 challenge (carrying RFC 9728 `resource_metadata`) before its body is read.
 */
export function requireBearerToken(
  options: VerifyBearerTokenOptions & { scopesSupported: readonly string[] },
): RequestHandler {
  const challenge = {
    resourceMetadata: protectedResourceMetadataUrl(options.resource),
    scope: options.scopesSupported.join(' '),
  };
  return async (req, res, next) => {
    try {
      const request = { authorization: req.headers.authorization, url: req.originalUrl };
      principals.set(req, await verifyBearerToken(request, options));
    } catch (error) {
      const refusal = bearerRefusal(error, challenge);
      if (refusal === undefined) return next(error);
      return send(res, refusal);
    }
    next();
  };
}

/**
 * MCP-AUTH "Scope challenge handling": answers a `tools/call` whose tool needs a scope the token lacks with
 * `403 insufficient_scope` (mount it after `express.json()`).
 */
export function requireToolScopes(options: { resource: string; toolScopes: ToolScopes }): RequestHandler {
  const resourceMetadata = protectedResourceMetadataUrl(options.resource);
  return (req, res, next) => {
    const shortfall = findScopeShortfall(req.body, accessTokenOf(req), options.toolScopes);
    if (shortfall === undefined) return next();
    send(res, insufficientScopeRefusal(shortfall, resourceMetadata));
  };
}

/** The verified token of a request that passed {@link requireBearerToken}. */
export function accessTokenOf(req: Request): AccessTokenPrincipal {
  const principal = principals.get(req);
  if (principal === undefined) throw new Error('route reached without bearer authentication');
  return principal;
}

function send(res: Response, refusal: BearerRefusal): void {
  res.status(refusal.status).set(refusal.headers);
  if (refusal.body === undefined) res.end();
  else res.json(refusal.body);
}
