import { describe, expect, it } from 'vitest';
import { roleAddress } from '../src/role-address.js';
import { demoRole } from '../src/roles.js';

describe('roleAddress', () => {
  it("uses the role's default URL and its port when nothing is set", () => {
    expect(roleAddress(demoRole('idp'), {})).toEqual({
      publicUrl: 'http://localhost:3100',
      localUrl: 'http://localhost:3100',
      port: 3100,
    });
  });

  it("reaches the MCP server at its resource identifier's origin", () => {
    expect(roleAddress(demoRole('mcp-server'), { MCP_RESOURCE: 'http://127.0.0.1:3999/tickets/mcp' })).toEqual({
      publicUrl: 'http://127.0.0.1:3999/tickets/mcp',
      localUrl: 'http://127.0.0.1:3999',
      port: 3999,
    });
  });

  it('takes the port of an https URL without one as 443', () => {
    expect(roleAddress(demoRole('agent-host'), { AGENT_BASE_URL: 'https://agent.example' }).port).toBe(443);
  });

  it('reaches the app on localhost at its port variable when that is set apart from the URL', () => {
    expect(
      roleAddress(demoRole('authorization-server'), { RAS_ISSUER: 'https://ras.example', RAS_PORT: '4200' }),
    ).toEqual({
      publicUrl: 'https://ras.example',
      localUrl: 'http://localhost:4200',
      port: 4200,
    });
  });

  it('refuses a port variable that is not a port, naming the variable', () => {
    for (const value of ['abc', '0', '65536', '3100.5', '-1']) {
      expect(() => roleAddress(demoRole('idp'), { IDP_PORT: value })).toThrow(
        expect.objectContaining({ code: 'INVALID_SETTING', message: `IDP_PORT: "${value}" is not a port` }),
      );
    }
  });

  it('refuses a URL variable that is not an http(s) URL, naming the variable', () => {
    for (const value of ['http://', 'localhost:3100', 'ftp://localhost:3100']) {
      expect(() => roleAddress(demoRole('idp'), { IDP_ISSUER: value })).toThrow(
        expect.objectContaining({ code: 'INVALID_SETTING', message: `IDP_ISSUER: "${value}" is not an http(s) URL` }),
      );
    }
  });
});
