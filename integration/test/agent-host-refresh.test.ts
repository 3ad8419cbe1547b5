/**
 * With the IdP's ID tokens shorter-lived than the host's 30 s margin, every exchange must present the IdP refresh
 * token (obtained with offline_access at sign-in) instead: the real IdP accepts it, and the user keeps working.
 */
import { TOKEN_TYPE_REFRESH_TOKEN } from '@ema/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formFields, type Stack, startStack, TestBrowser } from '../src/index.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ idTokenTtlSeconds: 20 });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

describe('agent host with a too-old ID token', () => {
  it('[AGENT-EMA-REFRESH-SUBJECT] exchanges the IdP refresh token at the real IdP and connects', async () => {
    const browser = new TestBrowser();
    const login = await browser.go(`${stack.agentUrl}/auth/signin`);
    const form = formFields(login.body, /login/);
    const signedIn = await browser.go(new URL(form.action, browser.url).href, {
      form: { ...form.fields, username: 'alice', password: 'alice-password' },
    });
    const connect = formFields(signedIn.body, /\/servers\/acme-tickets\/connect$/);
    const connected = await browser.go(new URL(connect.action, browser.url).href, { form: connect.fields });
    expect(connected.body).toContain('data-testid="connection-status">Connected');
    const inspector = await browser.go('/inspector');
    expect(inspector.body).toContain(TOKEN_TYPE_REFRESH_TOKEN);
  });
});
