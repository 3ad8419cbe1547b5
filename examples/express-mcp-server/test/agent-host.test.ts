/**
 * The agent host of this repository reaches the example through EMA exactly as it reaches Acme Tickets: discovery
 * from the example's 401 and metadata, token exchange at the IdP, jwt-bearer at the RAS, then the MCP calls.
 */

import { TestBrowser } from '@ema/integration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NotesStack, startNotesStack } from './support/stack.js';

let stack: NotesStack;
beforeAll(async () => {
  stack = await startNotesStack({ agentHost: true });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

describe('the agent host with the Express MCP server example', () => {
  it('[EXAMPLE-EXPRESS-AGENT-HOST] Alice connects to Team Notes from the agent host, adds a note and lists it', async () => {
    const browser = new TestBrowser();
    const login = await browser.go(`${stack.agentUrl}/auth/signin`);
    expect(browser.url.startsWith(stack.idpIssuer)).toBe(true);
    const servers = await browser.submit(login.body, /login/, { username: 'alice', password: 'alice-password' });
    expect(browser.url).toBe(`${stack.agentUrl}/servers`);

    const connected = await browser.submit(servers.body, /\/servers\/team-notes\/connect$/);
    expect(connected.body).toContain('data-testid="connection-status">Connected');
    expect(connected.body).toContain('data-testid="tool-list_notes"');
    expect(connected.body).toContain('data-testid="tool-add_note"');

    const added = await browser.submit(connected.body, /\/tools\/add_note$/, { 'arg.text': 'Water the plants' });
    expect(added.body).toContain('data-testid="tool-result"');
    expect(added.body).not.toContain('data-testid="tool-error"');
    const listed = await browser.submit(added.body, /\/tools\/list_notes$/);
    expect(listed.body).toContain('Water the plants');
    expect(listed.body).toContain('alice@acme.example');
  });
});
