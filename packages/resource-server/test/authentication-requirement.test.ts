import { describe, expect, it } from 'vitest';
import {
  authenticationShortfall,
  findAuthenticationShortfall,
  type ToolAuthentication,
} from '../src/authentication-requirement.js';
import { insufficientUserAuthenticationRefusal } from '../src/bearer-refusal.js';
import { PRM_URL, principal } from './support/tokens.js';

const MFA = 'urn:example:acr:mfa';
const NOW = 2_000_000_000;
const WRITES: ToolAuthentication = {
  create_ticket: { acrValues: [MFA] },
  update_ticket: { acrValues: [MFA], maxAgeSeconds: 600 },
};
const call = (name: string) => ({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name } });

describe('authentication requirements (RFC 9470)', () => {
  it('[MCP-RFC9470-3-STEP-UP] lets a token through whose acr is acceptable and whose sign-in is recent enough', () => {
    const strong = principal({ acr: MFA, auth_time: NOW - 60, amr: ['pwd', 'hwk', 'mfa'] });
    expect(findAuthenticationShortfall(call('update_ticket'), strong, WRITES, NOW)).toBeUndefined();
    expect(strong.amr).toEqual(['pwd', 'hwk', 'mfa']);
    // Tools without a requirement, and other methods, are not looked at.
    const weak = principal({ acr: undefined });
    expect(findAuthenticationShortfall(call('list_tickets'), weak, WRITES, NOW)).toBeUndefined();
    expect(findAuthenticationShortfall({ method: 'tools/list' }, weak, WRITES, NOW)).toBeUndefined();
    expect(findAuthenticationShortfall(call('constructor'), weak, WRITES, NOW)).toBeUndefined();
  });

  it('[MCP-RFC9470-3-STEP-UP] refuses a missing or other acr, and a missing or old auth_time; names the acr_values and the smallest max_age', () => {
    expect(
      findAuthenticationShortfall(call('create_ticket'), principal({ acr: 'urn:example:acr:pwd' }), WRITES, NOW),
    ).toEqual({
      operations: ['create_ticket'],
      acrValues: [MFA],
    });
    expect(
      findAuthenticationShortfall(call('create_ticket'), principal({ acr: undefined }), WRITES, NOW),
    ).toMatchObject({
      operations: ['create_ticket'],
    });
    const old = principal({ acr: MFA, auth_time: NOW - 601 });
    expect(findAuthenticationShortfall([call('update_ticket'), call('create_ticket')], old, WRITES, NOW)).toEqual({
      operations: ['update_ticket'],
      acrValues: [MFA],
      maxAgeSeconds: 600,
    });
    expect(
      authenticationShortfall(principal({ acr: MFA }), [{ operation: 'x', requirement: { maxAgeSeconds: 5 } }], NOW),
    ).toEqual({ operations: ['x'], maxAgeSeconds: 5 });
  });

  it('[MCP-RFC9470-3-STEP-UP] answers 401 insufficient_user_authentication with acr_values and max_age in the challenge and the body', () => {
    const refusal = insufficientUserAuthenticationRefusal(
      { operations: ['update_ticket'], acrValues: [MFA], maxAgeSeconds: 600 },
      { resourceMetadata: PRM_URL, scope: 'tickets.read tickets.write' },
    );
    expect(refusal).toStrictEqual({
      status: 401,
      headers: {
        'www-authenticate': `Bearer error="insufficient_user_authentication", error_description="update_ticket requires a stronger sign-in", resource_metadata="${PRM_URL}", scope="tickets.read tickets.write", acr_values="${MFA}", max_age="600"`,
      },
      body: {
        error: 'insufficient_user_authentication',
        error_description: 'update_ticket requires a stronger sign-in',
        acr_values: MFA,
        max_age: 600,
      },
    });
    const age = insufficientUserAuthenticationRefusal(
      { operations: ['x'], maxAgeSeconds: 5 },
      { resourceMetadata: PRM_URL, scope: '' },
    );
    expect(age.body).toStrictEqual({
      error: 'insufficient_user_authentication',
      error_description: 'x requires a more recent sign-in',
      max_age: 5,
    });
  });
});
