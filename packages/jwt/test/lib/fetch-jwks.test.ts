import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TYP_ID_JAG } from '@ema/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRemoteJwks, JwtValidationError } from '../../src/index.js';
import { type FetchJwksLimits, fetchJwks } from '../../src/lib/fetch-jwks.js';
import { expectCode, makeKey, type TestKey } from '../support/fixtures.js';

const header = { alg: 'ES256', kid: 'k1', typ: TYP_ID_JAG };
const token = { payload: 'e30', signature: '' };
const URL_OF_KEYS = new URL('https://idp.example.com/jwks');

let key: TestKey;
let server: Server;
let origin: string;
const hits: string[] = [];

// A real HTTP server (ephemeral port) so the real global fetch, with its real redirect handling, is exercised.
beforeAll(async () => {
  key = await makeKey('k1');
  const keys = JSON.stringify({ keys: [key.publicJwk] });
  server = createServer((request, response) => {
    hits.push(request.url ?? '');
    if (request.url === '/keys') {
      response.writeHead(200, { 'content-type': 'application/jwk-set+json' });
      response.end(keys);
      return;
    }
    // A redirect that carries a valid key set in its own body as well: neither the body nor the target is used.
    const status = Number(request.url?.slice('/redirect-'.length));
    response.writeHead(status, { location: `${origin}/keys`, 'content-type': 'application/jwk-set+json' });
    response.end(keys);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

afterEach(() => {
  vi.useRealTimers();
});

/** fetchJwks over a fake fetch answering `make()`, generous in time. */
function fetchAnswering(make: () => Response | Promise<Response>, maxBytes = 65536) {
  const limits: FetchJwksLimits = { timeoutMs: 60_000, maxBytes, fetch: async () => make() };
  return fetchJwks(URL_OF_KEYS, limits);
}

const keySet = () => new Response(JSON.stringify({ keys: [key.publicJwk] }));

/** The `ERR_JWKS_UNAVAILABLE` a fetch failed with. */
async function failure(promise: Promise<unknown>): Promise<JwtValidationError> {
  const error = await promise.then(
    () => undefined,
    (rejected: unknown) => rejected,
  );
  if (!(error instanceof JwtValidationError)) throw new Error(`expected a JwtValidationError, got ${String(error)}`);
  expect(error.code).toBe('ERR_JWKS_UNAVAILABLE');
  return error;
}

/** A JWK set serialized to exactly `size` bytes (padded inside a string member). */
function keySetOfSize(size: number): string {
  const bare = JSON.stringify({ keys: [key.publicJwk], pad: '' });
  return JSON.stringify({ keys: [key.publicJwk], pad: ' '.repeat(size - bare.length) });
}

describe('fetchJwks', () => {
  it('[JWT-JWKS-NO-REDIRECT] refuses every 3xx answer and never follows it, even one carrying a key set', async () => {
    await expect(createRemoteJwks(`${origin}/keys`)(header, token)).resolves.toBeDefined();
    for (const status of [301, 302, 303, 307, 308]) {
      hits.length = 0;
      const jwks = createRemoteJwks(`${origin}/redirect-${status}`);
      await expectCode(jwks(header, token), 'ERR_JWKS_UNAVAILABLE');
      expect(hits).toEqual([`/redirect-${status}`]);
    }
  });

  it('asks for a JWK set, in JSON', async () => {
    let accept: string | null = null;
    const fetch: typeof globalThis.fetch = async (_input, init) => {
      accept = new Headers(init?.headers).get('accept');
      return keySet();
    };
    await fetchJwks(URL_OF_KEYS, { timeoutMs: 60_000, maxBytes: 65536, fetch });
    expect(accept).toBe('application/jwk-set+json, application/json');
  });

  it('[JWT-JWKS-BOUNDED] accepts a body of exactly the cap, with or without its Content-Length', async () => {
    const body = keySetOfSize(1000);
    expect(Buffer.byteLength(body)).toBe(1000);
    const declared = () => new Response(body, { headers: { 'content-length': '1000' } });
    const undeclared = () => new Response(new Blob([body]).stream());
    for (const make of [declared, undeclared]) {
      await expect(fetchAnswering(make, 1000)).resolves.toEqual({ keys: [key.publicJwk] });
      await failure(fetchAnswering(make, 999));
    }
  });

  it('[JWT-JWKS-BOUNDED] refuses a body that is not UTF-8, even when it would parse as JSON', async () => {
    // `~` is in no base64url value: only the note's byte becomes 0xFF, which no UTF-8 text contains.
    const valid = new TextEncoder().encode(JSON.stringify({ keys: [{ ...key.publicJwk, note: '~' }] }));
    const invalid = valid.map((byte) => (byte === 0x7e ? 0xff : byte));
    await expect(fetchAnswering(() => new Response(valid))).resolves.toBeDefined();
    await failure(fetchAnswering(() => new Response(invalid)));
  });

  it('[JWT-JWKS-BOUNDED] refuses a set in which any member is not a JWK', async () => {
    const body = JSON.stringify({ keys: [key.publicJwk, { kid: 'no-kty' }] });
    await failure(fetchAnswering(() => new Response(body)));
  });

  it('[JWT-CODED-ERRORS] keeps the underlying failure as the cause, for the server log, and adds none of its own', async () => {
    const network = new TypeError('fetch failed');
    const unreachable = await failure(fetchAnswering(() => Promise.reject(network)));
    expect(unreachable.cause).toBe(network);
    const notJson = await failure(fetchAnswering(() => new Response('{"keys": [}')));
    expect(notJson.cause).toBeInstanceOf(SyntaxError);
    expect(notJson.message).toBe('the JWKS response is not JSON');
    const status = await failure(fetchAnswering(() => new Response('{}', { status: 503 })));
    expect(status).not.toHaveProperty('cause');
  });

  it('clears its time-out once the fetch is over, so no timer outlives it', async () => {
    vi.useFakeTimers();
    await fetchAnswering(keySet);
    await failure(fetchAnswering(() => new Response('{}', { status: 500 })));
    expect(vi.getTimerCount()).toBe(0);
  });
});
