import { TOKEN_TYPE_ID_JAG, TOKEN_TYPE_ID_TOKEN, TOKEN_TYPE_REFRESH_TOKEN } from '@ema/protocol';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdpApp } from '../../src/app.js';
import { tokensFor } from '../support/browser.js';
import { AGENT, basic, MCP, RAS, startIdp } from '../support/test-app.js';

let app: IdpApp;
let tokens: { id_token: string; refresh_token?: string };
beforeAll(async () => {
  ({ app } = await startIdp());
  tokens = await tokensFor(app, 'alice');
});
afterAll(async () => {
  await app.close();
});

const GRANT_TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
// RFC 6749 §5.2, RFC 8693 §2.2.2, RFC 9470 §3: every error this token endpoint may answer.
const RFC_ERRORS = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'invalid_target',
  'insufficient_user_authentication',
]);
const NAMES = [
  'grant_type',
  'client_id',
  'client_secret',
  'requested_token_type',
  'subject_token',
  'subject_token_type',
  'actor_token',
  'actor_token_type',
  'audience',
  'resource',
  'scope',
  'code',
  'redirect_uri',
  'code_verifier',
  'refresh_token',
];

// Percent-encodes the UTF-8 bytes (a lone surrogate becomes U+FFFD, as a browser would send it).
function encode(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
}

const oddText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '%', '%zz', '+', '[]', '{"a":1}', 'null', '0', '-1', 'a'.repeat(20_000)),
);
const value = fc.oneof(
  oddText,
  fc.constantFrom(
    GRANT_TOKEN_EXCHANGE,
    'authorization_code',
    'refresh_token',
    TOKEN_TYPE_ID_JAG,
    TOKEN_TYPE_ID_TOKEN,
    TOKEN_TYPE_REFRESH_TOKEN,
    RAS,
    `${RAS}/`,
    MCP,
    'tickets.read tickets.write openid',
    AGENT.id,
    AGENT.secret,
  ),
  fc.constant('ID_TOKEN'),
  fc.constant('REFRESH_TOKEN'),
);
const pair = fc.tuple(fc.oneof(fc.constantFrom(...NAMES), oddText), value, fc.boolean());
const authorization = fc.oneof(
  fc.constant(undefined),
  fc.constant(basic(AGENT.id, AGENT.secret)),
  fc.constant(basic(AGENT.id, 'wrong')),
  oddText.map((text) => `Basic ${Buffer.from(text).toString('base64')}`),
  fc.string({ unit: 'grapheme-ascii', maxLength: 60 }),
);
const contentType = fc.constantFrom(
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-8',
  'application/json',
  'text/plain',
);

describe('token endpoint under arbitrary input', () => {
  it('[IDP-TOKEN-ENDPOINT-ROBUST] answers every random form body with 200 or an RFC 6749 §5.2 error body, never 500, always no-store', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(pair, { maxLength: 12 }),
        authorization,
        contentType,
        fc.option(fc.string({ unit: 'binary', maxLength: 200 }), { nil: undefined }),
        async (pairs, auth, type, raw) => {
          const substitute = (text: string) =>
            text === 'ID_TOKEN' ? tokens.id_token : text === 'REFRESH_TOKEN' ? (tokens.refresh_token ?? '') : text;
          const body =
            raw ??
            pairs.map(([name, text, plain]) => `${plain ? name : encode(name)}=${encode(substitute(text))}`).join('&');
          const response = await app.inject({
            method: 'POST',
            url: '/token',
            headers: { 'content-type': type, ...(auth === undefined ? {} : { authorization: auth }) },
            payload: body,
          });
          expect(response.headers['cache-control']).toBe('no-store');
          if (response.statusCode === 200) {
            expect(response.json()).toHaveProperty('access_token');
            return;
          }
          expect([400, 401]).toContain(response.statusCode);
          const answer = response.json() as Record<string, unknown>;
          expect(RFC_ERRORS.has(String(answer.error))).toBe(true);
          for (const key of Object.keys(answer)) {
            expect(['error', 'error_description', 'max_age', 'acr_values']).toContain(key);
          }
          if (answer.error_description !== undefined) {
            // RFC 6749 §5.2: error_description is limited to %x20-21 / %x23-5B / %x5D-7E.
            expect(String(answer.error_description)).toMatch(/^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/);
          }
        },
      ),
      { numRuns: 300 },
    );
  }, 300_000);

  it('[IDP-TOKEN-ENDPOINT-ROBUST] mutations of a valid exchange (values replaced, dropped, repeated) get 200 or an RFC error, never 500', async () => {
    const base: [string, string][] = [
      ['grant_type', GRANT_TOKEN_EXCHANGE],
      ['requested_token_type', TOKEN_TYPE_ID_JAG],
      ['subject_token', 'ID_TOKEN'],
      ['subject_token_type', TOKEN_TYPE_ID_TOKEN],
      ['audience', RAS],
      ['resource', MCP],
      ['scope', 'tickets.read'],
    ];
    const mutation = fc.tuple(fc.nat({ max: base.length - 1 }), fc.constantFrom('replace', 'drop', 'repeat'), value);
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { maxLength: 4 }), fc.boolean(), async (mutations, post) => {
        const pairs = base.map(([name, text]) => [name, text] as [string, string]);
        const extra: [string, string][] = [];
        const dropped = new Set<number>();
        for (const [index, kind, text] of mutations) {
          const target = pairs[index];
          if (target === undefined) continue;
          if (kind === 'replace') target[1] = text;
          else if (kind === 'drop') dropped.add(index);
          else extra.push([target[0], text]);
        }
        const substitute = (text: string) =>
          text === 'ID_TOKEN' ? tokens.id_token : text === 'REFRESH_TOKEN' ? (tokens.refresh_token ?? '') : text;
        const all = [...pairs.filter((_, index) => !dropped.has(index)), ...extra];
        if (post) all.push(['client_id', AGENT.id], ['client_secret', AGENT.secret]);
        const response = await app.inject({
          method: 'POST',
          url: '/token',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            ...(post ? {} : { authorization: basic(AGENT.id, AGENT.secret) }),
          },
          payload: all.map(([name, text]) => `${encode(name)}=${encode(substitute(text))}`).join('&'),
        });
        expect(response.headers['cache-control']).toBe('no-store');
        const answer = response.json() as Record<string, unknown>;
        if (response.statusCode === 200) {
          expect(answer).toMatchObject({ issued_token_type: TOKEN_TYPE_ID_JAG, token_type: 'N_A' });
          expect(typeof answer.scope).toBe('string');
          expect(answer).not.toHaveProperty('refresh_token');
          return;
        }
        expect(response.statusCode).toBe(400);
        expect(RFC_ERRORS.has(String(answer.error))).toBe(true);
        expect(String(answer.error_description ?? '')).toMatch(/^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/);
      }),
      { numRuns: 300 },
    );
  }, 300_000);
});
