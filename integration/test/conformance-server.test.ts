/**
 * The official MCP conformance tool's server scenarios that apply to Acme Tickets, against a test instance of the MCP
 * server (in-process, with the real IdP and RAS). The tool's server runner can send no `Authorization` header (it
 * has no option for headers or authorization, and reads no environment for them), while the MCP server refuses any
 * request without a valid token. So the tool calls a test-only proxy that adds a real access token, minted for the
 * test through EMA as Alice, and passes everything else through as it is (`Host` and `Origin` included, so the
 * server's DNS-rebinding check still decides). No app has an authentication bypass.
 *
 * What each scenario needs: `server-initialize`, `tools-list` and `ping` an initialized session (the token);
 * `dns-rebinding-protection` an `initialize` with `Host`/`Origin` `evil.example.com` (refused by the Host check before
 * any token is read) and one with the proxy's own loopback name (accepted: a loopback server accepts every loopback
 * name); `server-session-lifecycle` `DELETE` with the session id, then a request on it. Scenarios about resources,
 * prompts, logging, sampling or elicitation do not apply: Acme Tickets offers tools only.
 *
 * The five runs start together (each spends most of its time in npx starting Node 22), and each test awaits its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BearerProxy, startBearerProxy } from '../src/bearer-proxy.js';
import { CONFORMANCE_RELEASE, type ConformanceRun, runConformance } from '../src/conformance-cli.js';
import { type ClientCredentials, redeemIdJag, requestIdJag, type Stack, signIn, startStack } from '../src/index.js';

const AGENT_AT_IDP: ClientCredentials = { clientId: 'agent-host', clientSecret: 'agent-host-dev-secret' };
const AGENT_AT_RAS: ClientCredentials = { clientId: 'acme-agent-host', clientSecret: 'acme-agent-host-dev-secret' };
const SCENARIOS = [
  'server-initialize',
  'tools-list',
  'ping',
  'dns-rebinding-protection',
  'server-session-lifecycle',
] as const;

let stack: Stack;
let proxy: BearerProxy;
const runs = new Map<string, Promise<ConformanceRun>>();
beforeAll(async () => {
  stack = await startStack();
  const idToken = await signIn({
    idpIssuer: stack.idpIssuer,
    client: AGENT_AT_IDP,
    redirectUri: `${stack.agentUrl}/auth/callback`,
    username: 'alice',
    password: 'alice-password',
  });
  const idJag = await requestIdJag({
    idpIssuer: stack.idpIssuer,
    client: AGENT_AT_IDP,
    idToken,
    rasIssuer: stack.rasIssuer,
    resource: stack.mcpResource,
    // Reading: a password sign-in is enough under the demo policy.
    scope: 'tickets.read',
  });
  const { accessToken } = await redeemIdJag({ rasIssuer: stack.rasIssuer, client: AGENT_AT_RAS, idJag });
  proxy = await startBearerProxy({ upstream: new URL(stack.mcpResource).origin, token: () => accessToken });
  const url = `${proxy.origin}${new URL(stack.mcpResource).pathname}`;
  for (const scenario of SCENARIOS)
    runs.set(scenario, runConformance(['server', '--url', url, '--scenario', scenario]));
}, 60_000);
afterAll(async () => {
  await Promise.all(runs.values());
  await proxy?.close();
  await stack?.close();
});

/** The report of one scenario, once the tool exited with success. */
async function report(scenario: (typeof SCENARIOS)[number]): Promise<string> {
  const run = await runs.get(scenario);
  expect(run?.status, run?.output).toBe(0);
  return run?.output ?? '';
}

/** The checks of a report, each `[id] STATUS`, when all passed with no warning (else the test fails). */
function passedChecks(output: string): string[] {
  expect(output, output).toMatch(/Passed: (\d+)\/\1, 0 failed, 0 warnings/);
  return [...output.matchAll(/\[([a-z0-9-]+) *\] (SUCCESS|FAILURE|WARNING|SKIPPED|INFO)/g)].map(
    ([, id, status]) => `${id} ${status}`,
  );
}

describe(`MCP conformance ${CONFORMANCE_RELEASE}, server scenarios, against Acme Tickets behind a bearer proxy`, () => {
  it('the MCP server itself refuses the tool without a token (the proxy is what carries one)', async () => {
    const response = await fetch(stack.mcpResource, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(response.status).toBe(401);
  });

  it('[CONFORMANCE-SERVER][MCP-LIFECYCLE-INITIALIZE][MCP-SESSION-ID-VISIBLE-ASCII] server-initialize', async () => {
    expect(passedChecks(await report('server-initialize'))).toEqual([
      'server-initialize SUCCESS',
      'server-session-id-visible-ascii SUCCESS',
      'wire-schema-valid SUCCESS',
    ]);
  }, 180_000);

  it('[CONFORMANCE-SERVER][MCP-TOOLS-LIST] tools-list', async () => {
    expect(passedChecks(await report('tools-list'))).toEqual([
      'tools-list SUCCESS',
      'tools-name-format SUCCESS',
      'wire-schema-valid SUCCESS',
    ]);
  }, 180_000);

  it('[CONFORMANCE-SERVER][MCP-PING] ping', async () => {
    expect(passedChecks(await report('ping'))).toEqual(['ping SUCCESS', 'wire-schema-valid SUCCESS']);
  }, 180_000);

  it('[CONFORMANCE-SERVER][MCP-DNS-REBINDING-HOST] dns-rebinding-protection: a foreign Host and Origin refused, a loopback one accepted', async () => {
    expect(passedChecks(await report('dns-rebinding-protection'))).toEqual([
      'localhost-host-rebinding-rejected SUCCESS',
      'localhost-host-valid-accepted SUCCESS',
    ]);
  }, 180_000);

  it('[CONFORMANCE-SERVER][MCP-SESSION-DELETE] server-session-lifecycle: DELETE ends the session, which then answers 404', async () => {
    expect(passedChecks(await report('server-session-lifecycle'))).toEqual([
      'server-session-initialized-accepted SUCCESS',
      'server-session-delete-accepted SUCCESS',
      'server-session-terminated-returns-404 SUCCESS',
    ]);
    // Every scenario went through the proxy (none reached the server some other way).
    expect(proxy.forwarded()).toBeGreaterThan(0);
  }, 180_000);
});
