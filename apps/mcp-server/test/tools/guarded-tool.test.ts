import { ACR_MULTI_FACTOR, ACR_PASSWORD } from '@ema/protocol';
import { AccessTokenPrincipal } from '@ema/resource-server';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it, vi } from 'vitest';
import type { McpAudit, ToolCallRecord } from '../../src/audit/mcp-audit.js';
import { ToolCallLedger } from '../../src/mcp/tool-call-ledger.js';
import type { TicketStore } from '../../src/tickets/sqlite-ticket-store.js';
import { guardedTool } from '../../src/tools/guarded-tool.js';
import type { ToolContext } from '../../src/tools/tool-context.js';
import { accessTokenClaims, RESOURCE } from '../support/tokens.js';

function extra(principal: AccessTokenPrincipal | undefined): RequestHandlerExtra<ServerRequest, ServerNotification> {
  return {
    signal: new AbortController().signal,
    requestId: 1,
    sendNotification: async () => undefined,
    sendRequest: async () => {
      throw new Error('not used');
    },
    ...(principal === undefined ? {} : { authInfo: principal.toAuthInfo(RESOURCE) }),
  };
}

function context(): ToolContext & { records: ToolCallRecord[] } {
  const records: ToolCallRecord[] = [];
  const audit: McpAudit = {
    toolCall: async (record) => {
      records.push(record);
    },
    toolCallWith: async (work, describe) => {
      const result = work();
      records.push(describe(result));
      return result;
    },
    sessionRefused: () => undefined,
  };
  return {
    tickets: {} as TicketStore,
    ledger: new ToolCallLedger(audit, vi.fn()),
    log: { error: vi.fn() },
    toolAuthentication: { create_ticket: { acrValues: [ACR_MULTI_FACTOR] } },
    now: () => new Date(),
    records,
  };
}

describe('guardedTool', () => {
  it('names the missing scope in a tool error and never runs the tool without it', async () => {
    const run = vi.fn(() => ({ ok: true as const, data: {} }));
    const handler = guardedTool('create_ticket', context(), run);
    const readOnly = new AccessTokenPrincipal(accessTokenClaims({ scope: 'tickets.read' }));
    const result = await handler({}, extra(readOnly));
    expect(result).toStrictEqual({
      content: [{ type: 'text', text: 'Insufficient scope: create_ticket requires the scope tickets.write' }],
      isError: true,
    });
    expect(run).not.toHaveBeenCalled();
  });

  it('[MCP-RFC9470-TOOL-STEP-UP] never runs a tool whose sign-in requirement the token does not meet, whatever path the call took', async () => {
    const run = vi.fn(() => ({ ok: true as const, data: {} }));
    const handler = guardedTool('create_ticket', context(), run);
    const password = new AccessTokenPrincipal(accessTokenClaims({ acr: ACR_PASSWORD }));
    const result = await handler({}, extra(password));
    expect(result).toStrictEqual({
      content: [
        {
          type: 'text',
          text: `create_ticket requires a stronger or more recent sign-in (acr_values: ${ACR_MULTI_FACTOR})`,
        },
      ],
      isError: true,
    });
    expect(run).not.toHaveBeenCalled();
    await handler({}, extra(new AccessTokenPrincipal(accessTokenClaims())));
    expect(run).toHaveBeenCalledOnce();
  });

  it('refuses a call without a verified caller', async () => {
    const run = vi.fn(() => ({ ok: true as const, data: {} }));
    const result = await guardedTool('whoami', context(), run)({}, extra(undefined));
    expect(result.isError).toBe(true);
    expect(run).not.toHaveBeenCalled();
  });

  it('turns an exception into a generic tool error that leaks nothing, and logs it', async () => {
    const ctx = context();
    const handler = guardedTool('list_tickets', ctx, () => {
      throw new Error('SQLITE_CORRUPT: database disk image is malformed at /secret/path');
    });
    const caller = new AccessTokenPrincipal(accessTokenClaims());
    const result = await handler({}, extra(caller));
    expect(result).toStrictEqual({
      content: [{ type: 'text', text: 'list_tickets failed because of an internal error; the failure was logged' }],
      isError: true,
    });
    expect(ctx.log.error).toHaveBeenCalledOnce();
  });

  it('[MCP-AUTH-NO-TOKEN-PASSTHROUGH] hands tools the verified identity, never the token value', async () => {
    const caller = new AccessTokenPrincipal(accessTokenClaims());
    const authInfo = caller.toAuthInfo(RESOURCE);
    expect(authInfo.token).toBe('');
    expect(authInfo).toMatchObject({
      clientId: 'acme-agent-host',
      scopes: ['tickets.read', 'tickets.write'],
      resource: new URL(RESOURCE),
    });
    const seen: AccessTokenPrincipal[] = [];
    await guardedTool('whoami', context(), (_input: object, who) => {
      seen.push(who);
      return { ok: true, data: {} };
    })({}, extra(caller));
    expect(seen).toStrictEqual([caller]);
  });
});
