import { MEDIA_TYPE_FORM } from '@ema/protocol';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { tokenEndpoint } from '../../src/fastify.js';
import {
  type GrantModule,
  type OAuthError,
  STORAGE_RETRY_AFTER_SECONDS,
  StorageUnavailableError,
  toOAuthError,
} from '../../src/index.js';
import { oauthErrorBoundary } from '../../src/runtime.js';
import { basic, findClient, form, type TestClient } from '../fixtures.js';

// What better-sqlite3 throws when a write needs a page the disk (or `max_page_count`) does not have.
function diskFull(): Error {
  return Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
}

const storing: GrantModule<TestClient> = {
  grantType: 'urn:test:store',
  handler: async () => {
    throw diskFull();
  },
};

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function build(lines: string[], refusals: string[]): Promise<FastifyInstance> {
  app = Fastify({ logger: { level: 'info', stream: { write: (line: string) => lines.push(line) } } });
  await app.register(oauthErrorBoundary);
  await app.register(tokenEndpoint<TestClient>, {
    path: '/token',
    grants: [storing],
    findClient,
    onRefusal: (error: OAuthError) => refusals.push(error.error),
  });
  app.get('/write', async () => {
    throw diskFull();
  });
  return app;
}

const EXPECTED_BODY = {
  error: 'temporarily_unavailable',
  error_description: 'the server cannot store this request now; retry later',
};

describe('a full disk at the HTTP edge', () => {
  it('[FAULT-DISK-FULL-503] toOAuthError turns a storage outage into 503 temporarily_unavailable with Retry-After, keeping the cause for the log', () => {
    const cause = diskFull();
    const error = toOAuthError(cause);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(error.status).toBe(503);
    expect(error.headers).toEqual({ 'Retry-After': String(STORAGE_RETRY_AFTER_SECONDS) });
    expect(error.toResponseBody()).toEqual(EXPECTED_BODY);
    expect(error.cause).toBe(cause);
    // A constraint is a bug or a conflict, not an outage: still server_error.
    expect(toOAuthError(Object.assign(new Error('x'), { code: 'SQLITE_CONSTRAINT' })).status).toBe(500);
  });

  it('[FAULT-DISK-FULL-503] the token endpoint answers 503 temporarily_unavailable, Retry-After and no-store, never a 500 with a stack', async () => {
    const lines: string[] = [];
    const refusals: string[] = [];
    const response = await (await build(lines, refusals)).inject({
      method: 'POST',
      url: '/token',
      headers: { authorization: basic('simple', 'simple-secret'), 'content-type': MEDIA_TYPE_FORM },
      payload: form({ grant_type: 'urn:test:store' }),
    });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe(String(STORAGE_RETRY_AFTER_SECONDS));
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toEqual(EXPECTED_BODY);
    expect(response.body).not.toMatch(/SQLITE|disk is full|at /);
    // Offered to the audit (which may fail on the same full disk) and logged with its cause.
    expect(refusals).toEqual(['temporarily_unavailable']);
    expect(lines.some((line) => line.includes('"level":50') && line.includes('SQLITE_FULL'))).toBe(true);
  });

  it('[FAULT-DISK-FULL-503] the error boundary answers any other route the same way and logs the cause at error level', async () => {
    const lines: string[] = [];
    const response = await (await build(lines, [])).inject({ method: 'GET', url: '/write' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe(String(STORAGE_RETRY_AFTER_SECONDS));
    expect(response.json()).toEqual(EXPECTED_BODY);
    const logged = lines.find((line) => line.includes('storage unavailable'));
    expect(logged).toMatch(/"level":50/);
    expect(logged).toMatch(/SQLITE_FULL/);
  });
});

describe('text the database cannot hold', () => {
  // What node-postgres reports when a value holds U+0000 (PostgreSQL text cannot).
  const unstorable = () =>
    Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });

  it("[STORAGE-UNSTORABLE-TEXT-400] toOAuthError makes it the request's fault: 400 invalid_request, the cause kept for the log", () => {
    const cause = new Error('the tool call could not be committed', { cause: unstorable() });
    const error = toOAuthError(cause);
    expect(error.status).toBe(400);
    expect(error.toResponseBody()).toEqual({
      error: 'invalid_request',
      error_description: 'the request holds U+0000, which cannot be stored',
    });
    expect(error.cause).toBe(cause);
  });

  it('[STORAGE-UNSTORABLE-TEXT-400] the token endpoint answers 400 and offers the refusal to the audit', async () => {
    const refusals: string[] = [];
    app = Fastify({ logger: false });
    await app.register(tokenEndpoint<TestClient>, {
      path: '/token',
      grants: [{ grantType: 'urn:test:store', handler: async () => Promise.reject(unstorable()) }],
      findClient,
      onRefusal: (error: OAuthError) => refusals.push(error.error),
    });
    const response = await app.inject({
      method: 'POST',
      url: '/token',
      headers: { authorization: basic('simple', 'simple-secret'), 'content-type': MEDIA_TYPE_FORM },
      payload: form({ grant_type: 'urn:test:store' }),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'invalid_request' });
    expect(response.body).not.toMatch(/UTF8|0x00/);
    expect(refusals).toEqual(['invalid_request']);
  });
});
