import { describe, expect, it } from 'vitest';
import {
  authorizationDetailsPermit,
  permittedIdentifiers,
  type ToolAuthorizationDetails,
  toolAuthorizationDetailRequirement,
} from '../src/authorization-details.js';
import { principal, RESOURCE } from './support/tokens.js';

const TYPE = 'urn:acme:tickets';
const TOOLS: ToolAuthorizationDetails = {
  list_tickets: { type: TYPE, action: 'read', collection: true },
  get_ticket: { type: TYPE, action: 'read', identifierArgument: 'id' },
  update_ticket: { type: TYPE, action: 'update', identifierArgument: 'id' },
};

describe('authorization details at the resource server (RFC 9396 §9.1)', () => {
  it('[MCP-RFC9396-ENFORCED] leaves a token without authorization_details to its scopes', () => {
    const caller = principal();
    expect(caller.authorizationDetails).toBeUndefined();
    expect(authorizationDetailsPermit(caller, { type: TYPE, action: 'update', identifier: '9' })).toBe(true);
    expect(permittedIdentifiers(caller, TYPE, 'read')).toBe('all');
  });

  it('[MCP-RFC9396-ENFORCED] permits only what one detail allows: type, action, resource, object', () => {
    const caller = principal({
      authorization_details: [
        { type: TYPE, actions: ['read'], locations: [RESOURCE] },
        { type: TYPE, actions: ['update'], identifier: '7' },
        { type: TYPE, actions: ['create'], locations: ['https://elsewhere.example/mcp'] },
      ],
    });
    expect(authorizationDetailsPermit(caller, { type: TYPE, action: 'read' })).toBe(true);
    expect(authorizationDetailsPermit(caller, { type: TYPE, action: 'read', identifier: '3' })).toBe(true);
    expect(authorizationDetailsPermit(caller, { type: TYPE, action: 'update', identifier: '7' })).toBe(true);
    expect(authorizationDetailsPermit(caller, { type: TYPE, action: 'update', identifier: '8' })).toBe(false);
    expect(authorizationDetailsPermit(caller, { type: TYPE, action: 'update' })).toBe(false);
    expect(authorizationDetailsPermit(caller, { type: TYPE, action: 'create' })).toBe(false);
    expect(authorizationDetailsPermit(caller, { type: 'urn:other', action: 'read' })).toBe(false);
  });

  it('[MCP-RFC9396-ENFORCED] lists the objects an object-limited token may act on, for filtering listings', () => {
    const caller = principal({
      authorization_details: [
        { type: TYPE, actions: ['read'], identifier: '1' },
        { type: TYPE, actions: ['read', 'update'], identifier: '2' },
      ],
    });
    expect(permittedIdentifiers(caller, TYPE, 'read')).toEqual(['1', '2']);
    expect(permittedIdentifiers(caller, TYPE, 'update')).toEqual(['2']);
    expect(permittedIdentifiers(caller, TYPE, 'create')).toEqual([]);
    // A listing needs the action on some object; creating needs it on no one object.
    expect(authorizationDetailsPermit(caller, { type: TYPE, action: 'read', collection: true })).toBe(true);
    expect(authorizationDetailsPermit(caller, { type: TYPE, action: 'create', collection: true })).toBe(false);
    expect(authorizationDetailsPermit(caller, { type: TYPE, action: 'read' })).toBe(false);
  });

  it('[MCP-RFC9396-ENFORCED] derives a tool call requirement from the table and the call arguments', () => {
    expect(toolAuthorizationDetailRequirement(TOOLS, 'get_ticket', { id: 7 })).toEqual({
      type: TYPE,
      action: 'read',
      identifier: '7',
    });
    expect(toolAuthorizationDetailRequirement(TOOLS, 'update_ticket', { status: 'closed' })).toEqual({
      type: TYPE,
      action: 'update',
      identifier: undefined,
    });
    expect(toolAuthorizationDetailRequirement(TOOLS, 'list_tickets', {})).toEqual({
      type: TYPE,
      action: 'read',
      collection: true,
    });
    expect(toolAuthorizationDetailRequirement(TOOLS, 'whoami', {})).toBeUndefined();
    expect(toolAuthorizationDetailRequirement(TOOLS, 'constructor', {})).toBeUndefined();
  });
});
