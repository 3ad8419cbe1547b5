import Fastify, { type RouteHandlerMethod } from 'fastify';
import { describe, expect, it } from 'vitest';
import {
  html,
  PAGE_HEADERS,
  SCRIPTED_PAGE_HEADERS,
  sendDocument,
  sendPage,
  sendScriptedDocument,
} from '../src/index.js';

const EXPECTED_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
};

async function serve(route: RouteHandlerMethod) {
  const app = Fastify();
  app.get('/', route);
  const response = await app.inject({ method: 'GET', url: '/' });
  await app.close();
  return response;
}

describe('sendPage', () => {
  it('sends the page with its status and every security header', async () => {
    const response = await serve(async (_request, reply) => sendPage(reply, 403, html`<p>${'<no>'}</p>`));
    expect(response.statusCode).toBe(403);
    expect(response.body).toBe('<p>&lt;no&gt;</p>');
    expect(response.headers).toMatchObject(EXPECTED_HEADERS);
  });

  it('sends a rendered document with the same headers', async () => {
    const response = await serve(async (_request, reply) => sendDocument(reply, 200, '<!doctype html>'));
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('<!doctype html>');
    expect(response.headers).toMatchObject(EXPECTED_HEADERS);
  });

  it('sets no form-action: the IdP sign-in redirects cross-origin to the client redirect URI', () => {
    expect(PAGE_HEADERS).toEqual(EXPECTED_HEADERS);
    expect(PAGE_HEADERS['content-security-policy']).not.toContain('form-action');
  });

  it('[IDP-PASSKEY-CSP] sends a scripted page with exactly script-src self added: no inline script, no eval', async () => {
    const response = await serve(async (_request, reply) => sendScriptedDocument(reply, 200, '<!doctype html>'));
    expect(response.headers).toMatchObject({
      ...EXPECTED_HEADERS,
      'content-security-policy':
        "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
    });
    const policy = SCRIPTED_PAGE_HEADERS['content-security-policy'] ?? '';
    expect(/script-src [^;]*/.exec(policy)?.[0]).toBe("script-src 'self'");
    expect(policy).not.toContain('unsafe-eval');
    expect(PAGE_HEADERS['content-security-policy']).not.toContain('script-src');
  });
});
