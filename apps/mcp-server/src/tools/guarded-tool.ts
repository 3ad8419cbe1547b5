import {
  AccessTokenPrincipal,
  authenticationShortfall,
  authorizationDetailsPermit,
  toolAuthorizationDetailRequirement,
} from '@ema/resource-server';
import { isUnstorableText } from '@ema/storage';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { ToolCallNotCommittedError, type ToolCallNote } from '../mcp/tool-call-ledger.js';
import type { ToolContext } from './tool-context.js';
import { toolError, toolResult } from './tool-result.js';
import { TOOL_AUTHORIZATION_DETAILS, TOOL_SCOPES, type ToolName } from './tool-scopes.js';

/** What a tool's own logic returns: data, or a refusal the caller can act on. */
export type ToolOutcome =
  | { ok: true; data: Record<string, unknown>; details?: Record<string, unknown> }
  | { ok: false; reason: 'not_found' | 'invalid_input'; message: string };

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** The audit record's view of a tool's outcome. */
function noteOf(outcome: ToolOutcome): ToolCallNote {
  if (!outcome.ok) return { outcome: 'failure', reason: outcome.reason };
  return outcome.details === undefined ? { outcome: 'success' } : { outcome: 'success', details: outcome.details };
}

/**
 * Wraps a tool's logic with what every tool needs: the verified caller, the tool's scope, the RFC 9396 authorization
 * details of its token and its requirement on the sign-in (all checked here, so a tool never runs without them
 * whatever path the request took), a tool error instead of a crash, and the audit record, committed in one
 * transaction with the tool's writes: a change is never kept without its record.
 */
export function guardedTool<Input>(
  name: ToolName,
  context: ToolContext,
  run: (input: Input, caller: AccessTokenPrincipal) => ToolOutcome,
): (input: Input, extra: Extra) => Promise<CallToolResult> {
  return async (input, extra) => {
    const { ledger } = context;
    const caller = AccessTokenPrincipal.fromAuthInfo(extra.authInfo);
    if (caller === undefined) {
      ledger.note(extra.requestId, 'deny', 'unauthenticated');
      return toolError(`${name} needs an authenticated caller`);
    }
    const missing = caller.missingScopes(TOOL_SCOPES[name]);
    if (missing.length > 0) {
      // MCP-AUTH "Scope challenge handling": inside a session the missing scope is named, so the client can ask
      // for it. (The HTTP layer normally answers such a call with 403 insufficient_scope before it gets here.)
      ledger.note(extra.requestId, 'deny', 'insufficient_scope', { missing_scopes: missing });
      return toolError(`Insufficient scope: ${name} requires the scope ${missing.join(' ')}`);
    }
    // RFC 9396 §9.1: a token limited by authorization details may do only what one of them allows (a listing then
    // shows only the tickets allowed: see list-tickets.ts).
    const detail = toolAuthorizationDetailRequirement(TOOL_AUTHORIZATION_DETAILS, name, input);
    if (detail !== undefined && !authorizationDetailsPermit(caller, detail)) {
      ledger.note(extra.requestId, 'deny', 'authorization_details', {
        action: detail.action,
        ...(detail.identifier === undefined ? {} : { identifier: detail.identifier }),
      });
      return toolError(
        `${name} is not allowed by the authorization details of your access token (action ${detail.action}${
          detail.identifier === undefined ? '' : ` on ticket ${detail.identifier}`
        })`,
      );
    }
    const requirement = context.toolAuthentication[name];
    const now = Math.floor(context.now().getTime() / 1000);
    const weak =
      requirement === undefined ? undefined : authenticationShortfall(caller, [{ operation: name, requirement }], now);
    if (weak !== undefined) {
      // RFC 9470: normally answered 401 at the HTTP layer; a call that got here anyway does not run.
      ledger.note(extra.requestId, 'deny', 'insufficient_user_authentication', { acr: caller.acr ?? null });
      return toolError(
        `${name} requires a stronger or more recent sign-in (acr_values: ${weak.acrValues?.join(' ') ?? 'any'})`,
      );
    }
    try {
      const outcome = await ledger.commit(extra.requestId, () => run(input, caller), noteOf);
      return outcome.ok ? toolResult(outcome.data) : toolError(outcome.message);
    } catch (error) {
      // The change and its record were rolled back; the ledger answers the call with a JSON-RPC internal error.
      if (error instanceof ToolCallNotCommittedError) return toolError(`${name} failed`);
      // Text the database cannot hold that no schema caught: the caller's to correct, not a failure of ours.
      if (isUnstorableText(error)) {
        ledger.note(extra.requestId, 'deny', 'invalid_request');
        return toolError(`${name} was refused: its text holds U+0000, which cannot be stored`);
      }
      context.log.error({ err: error, tool: name }, 'tool failed unexpectedly');
      ledger.note(extra.requestId, 'failure', 'internal_error');
      return toolError(`${name} failed because of an internal error; the failure was logged`);
    }
  };
}
