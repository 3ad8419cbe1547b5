/** Turns an MCP SDK failure into the client's typed errors, using what the action learnt from the server's challenges. */
import { parseScope, REVOKED_ACCESS_TOKEN_DESCRIPTION } from '@ema/protocol';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  AccessRevokedError,
  EmaClientError,
  GrantRefusedError,
  InsufficientScopeError,
  InsufficientUserAuthenticationError,
  UnreachableError,
} from '../errors.js';
import type { ServerAuthorization } from '../server-authorization.js';

/** What {@link explainFailure} reads of the action. */
export type FailureContext = Pick<ServerAuthorization, 'serverUrl' | 'lastChallenge' | 'heldScopes'>;

/**
 * Maps an SDK or network failure to a typed error (the client's own errors pass through): a 403 after the one
 * up-scope becomes {@link InsufficientScopeError}, a 401 `insufficient_user_authentication` (RFC 9470)
 * {@link InsufficientUserAuthenticationError} with the step-up asked for, a 401 "revoked" after a fresh grant
 * {@link AccessRevokedError}, any other 401 after a fresh grant {@link GrantRefusedError} for the MCP server, a 5xx
 * or 404 {@link UnreachableError}. Anything else is returned as it is.
 */
export function explainFailure(authorization: FailureContext, error: unknown): unknown {
  if (error instanceof EmaClientError) return error;
  if (!(error instanceof StreamableHTTPError)) return error;
  const challenge = authorization.lastChallenge;
  if (error.code === 403 && challenge?.error === 'insufficient_scope') {
    return new InsufficientScopeError(parseScope(challenge.scope), authorization.heldScopes());
  }
  if (error.code === 401 && challenge?.error === 'insufficient_user_authentication') {
    return new InsufficientUserAuthenticationError('mcp', challenge.errorDescription, {
      ...(challenge.acrValues === undefined ? {} : { acrValues: challenge.acrValues }),
      ...(challenge.maxAge === undefined ? {} : { maxAge: challenge.maxAge }),
    });
  }
  if (error.code === 401 && challenge?.errorDescription === REVOKED_ACCESS_TOKEN_DESCRIPTION) {
    // Even the fresh grant was refused as revoked: the organization cut this access.
    return new AccessRevokedError('mcp', challenge.errorDescription);
  }
  if (error.code === 401) {
    return new GrantRefusedError('mcp', challenge?.error ?? 'invalid_token', challenge?.errorDescription);
  }
  const status = error.code ?? 0;
  if (status >= 500 || status === 404) {
    return new UnreachableError('mcp', new URL(authorization.serverUrl).origin, `HTTP ${status}`);
  }
  return error;
}
