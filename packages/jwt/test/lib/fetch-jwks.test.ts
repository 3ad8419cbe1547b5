import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TYP_ID_JAG } from '@ema/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJwks } from '../../src/index.js';
import { expectCode, makeKey } from '../support/fixtures.js';

const header = { alg: 'ES256', kid: 'k1', typ: TYP_ID_JAG };
const token = { payload: 'e30', signature: '' };

let server: Server;
let origin: string;
const hits: string[] = [];

// A real HTTP server (ephemeral port) so the real global fetch, with its real redirect handling, is exercised.
beforeAll(async () => {
  const key = await makeKey('k1');
  server = createServer((request, response) => {
    hits.push(request.url ?? '');
    if (request.url === '/keys') {
      response.writeHead(200, { 'content-type': 'application/jwk-set+json' });
      response.end(JSON.stringify({ keys: [key.publicJwk] }));
      return;
    }
    const status = Number(request.url?.slice('/redirect-'.length));
    response.writeHead(status, { location: `${origin}/keys` });
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('fetchJwks', () => {
  it('[JWT-JWKS-NO-REDIRECT] refuses every 3xx answer and never follows it', async () => {
    await expect(createRemoteJwks(`${origin}/keys`)(header, token)).resolves.toBeDefined();
    for (const status of [301, 302, 303, 307, 308]) {
      hits.length = 0;
      const jwks = createRemoteJwks(`${origin}/redirect-${status}`);
      await expectCode(jwks(header, token), 'ERR_JWKS_UNAVAILABLE');
      expect(hits).toEqual([`/redirect-${status}`]);
    }
  });
});
