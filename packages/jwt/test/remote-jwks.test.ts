import { TYP_ID_JAG } from '@ema/protocol';
import { exportJWK, type JWK } from 'jose';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createRemoteJwks, mintIdJag, type RemoteJwksOptions, verifyIdJag } from '../src/index.js';
import { expectCode, makeKey, NOW, NOW_S, type TestKey } from './support/fixtures.js';

const JWKS_URL = 'https://idp.example.com/jwks';

let first: TestKey;
let second: TestKey;

beforeAll(async () => {
  first = await makeKey('k1');
  second = await makeKey('k2');
});

/** A fake clock plus a fake fetch that serves `keys` and counts its calls. */
function fakeIdp(initial: JWK[]) {
  const state = { keys: initial, calls: 0, now: 1_000_000 };
  const fetch: typeof globalThis.fetch = async (input) => {
    state.calls += 1;
    expect(String(input)).toBe(JWKS_URL);
    return new Response(JSON.stringify({ keys: state.keys }), { status: 200 });
  };
  // The fake answers at once; the generous fetch time-out only keeps a starved CPU (a loaded CI machine) from turning
  // a cache or refresh test into a time-out. The time-out itself is tested below with 50 ms and a fetch that hangs.
  const options: RemoteJwksOptions = { fetch, now: () => state.now, timeoutMs: 60_000 };
  return { state, options };
}

const header = (kid: string) => ({ alg: 'ES256', kid, typ: TYP_ID_JAG });
const token = { payload: 'e30', signature: '' };

function fetchReturning(make: () => Response | Promise<Response>): typeof fetch {
  return async () => make();
}

describe('createRemoteJwks', () => {
  it('[JWT-JWKS-CACHE] makes no network call when the kid is cached', async () => {
    const { state, options } = fakeIdp([first.publicJwk]);
    const jwks = createRemoteJwks(JWKS_URL, options);
    for (let i = 0; i < 50; i += 1) await jwks(header('k1'), token);
    expect(state.calls).toBe(1);
  });

  it('[JWT-JWKS-CACHE] refetches once the cache is older than its max age', async () => {
    const { state, options } = fakeIdp([first.publicJwk]);
    const jwks = createRemoteJwks(JWKS_URL, { ...options, cacheMaxAgeSeconds: 600 });
    await jwks(header('k1'), token);
    state.now += 600_000;
    await jwks(header('k1'), token);
    expect(state.calls).toBe(1);
    state.now += 1;
    await jwks(header('k1'), token);
    expect(state.calls).toBe(2);
  });

  it('[JWT-JWKS-CACHE] keeps serving known keys when the refetch of an expired set fails', async () => {
    const { state, options } = fakeIdp([first.publicJwk]);
    let up = true;
    const fetch: typeof globalThis.fetch = async (input, init) => {
      if (!up) throw new TypeError('fetch failed');
      return (options.fetch as typeof globalThis.fetch)(input, init);
    };
    const jwks = createRemoteJwks(JWKS_URL, { ...options, fetch });
    await jwks(header('k1'), token);
    up = false;
    state.now += 601_000;
    await expect(jwks(header('k1'), token)).resolves.toBeDefined();
  });

  it('[JWT-JWKS-COALESCE] coalesces concurrent requests into one fetch', async () => {
    const { state, options } = fakeIdp([first.publicJwk]);
    const jwks = createRemoteJwks(JWKS_URL, options);
    await Promise.all(Array.from({ length: 20 }, () => jwks(header('k1'), token)));
    expect(state.calls).toBe(1);
  });

  it('[JWT-JWKS-COALESCE] concurrent lookups of a rotated kid share one refetch and all succeed', async () => {
    const { state, options } = fakeIdp([first.publicJwk]);
    const jwks = createRemoteJwks(JWKS_URL, options);
    await jwks(header('k1'), token);
    state.keys = [first.publicJwk, second.publicJwk];
    state.now += 31_000;
    const results = await Promise.all(Array.from({ length: 10 }, () => jwks(header('k2'), token)));
    expect(results).toHaveLength(10);
    expect(state.calls).toBe(2);
  });

  it('[JWT-JWKS-COALESCE] a lookup during the refetch of an expired set waits for it, and gets the new keys', async () => {
    const { state, options } = fakeIdp([first.publicJwk]);
    let release: (() => void) | undefined;
    const fetch: typeof globalThis.fetch = async (input, init) => {
      if (state.calls > 0) await new Promise<void>((resolve) => (release = resolve));
      return (options.fetch as typeof globalThis.fetch)(input, init);
    };
    const jwks = createRemoteJwks(JWKS_URL, { ...options, fetch });
    await jwks(header('k1'), token);
    // The issuer replaced the key behind `k1`; the cached set expires.
    state.keys = [{ ...second.publicJwk, kid: 'k1' }];
    state.now += 601_000;
    const lookups = [jwks(header('k1'), token), jwks(header('k1'), token)];
    await vi.waitFor(() => expect(release).toBeDefined());
    release?.();
    for (const key of await Promise.all(lookups)) {
      expect(await exportJWK(key)).toMatchObject({ x: second.publicJwk.x, y: second.publicJwk.y });
    }
    expect(state.calls).toBe(2);
  });

  it('[JWT-JWKS-REFRESH] refetches on an unknown kid at most once per cooldown', async () => {
    const { state, options } = fakeIdp([first.publicJwk]);
    const jwks = createRemoteJwks(JWKS_URL, { ...options, cooldownSeconds: 30 });
    await jwks(header('k1'), token);
    state.now += 31_000;
    await expectCode(jwks(header('nope'), token), 'ERR_JWKS_NO_MATCHING_KEY', 'kid');
    expect(state.calls).toBe(2);
    for (let i = 0; i < 10; i += 1) await expectCode(jwks(header('nope'), token), 'ERR_JWKS_NO_MATCHING_KEY');
    expect(state.calls).toBe(2);
    state.now += 30_000;
    await expectCode(jwks(header('nope'), token), 'ERR_JWKS_NO_MATCHING_KEY');
    expect(state.calls).toBe(3);
  });

  it('[JWT-JWKS-REFRESH] finds a new kid after the issuer rotates its keys', async () => {
    const { state, options } = fakeIdp([first.publicJwk]);
    const jwks = createRemoteJwks(JWKS_URL, options);
    await jwks(header('k1'), token);
    state.keys = [first.publicJwk, second.publicJwk];
    state.now += 31_000;
    await expect(jwks(header('k2'), token)).resolves.toBeDefined();
    expect(state.calls).toBe(2);
    await jwks(header('k2'), token);
    await jwks(header('k1'), token);
    expect(state.calls).toBe(2);
  });

  it('[JWT-JWKS-REFRESH] verifies an ID-JAG signed by a rotated key end to end', async () => {
    const { state, options } = fakeIdp([first.publicJwk]);
    const keys = createRemoteJwks(JWKS_URL, options);
    const claims = {
      iss: 'https://idp.example.com',
      sub: 'alice',
      aud: 'https://ras.example.com',
      client_id: 'c',
      jti: 'j',
      iat: NOW_S,
      exp: NOW_S + 300,
    };
    const verify = (jag: string) =>
      verifyIdJag(jag, {
        algorithms: ['ES256'],
        trustedIssuers: () => ({ issuer: 'https://idp.example.com', keys }),
        audience: 'https://ras.example.com',
        maxLifetimeSeconds: 900,
        currentDate: NOW,
      });
    await verify(await mintIdJag(claims, first.signer));
    state.keys = [second.publicJwk];
    state.now += 60_000;
    await expect(verify(await mintIdJag(claims, second.signer))).resolves.toBeDefined();
    expect(state.calls).toBe(2);
  });

  it('[JWT-JWKS-REFRESH] reload() forces a refetch', async () => {
    const { state, options } = fakeIdp([first.publicJwk]);
    const jwks = createRemoteJwks(JWKS_URL, options);
    await jwks.reload();
    await jwks.reload();
    expect(state.calls).toBe(2);
    await jwks(header('k1'), token);
    expect(state.calls).toBe(2);
  });

  it('[JWT-JWKS-BOUNDED] times out a fetch that never answers', async () => {
    let aborted = false;
    const fetch: typeof globalThis.fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => {
          aborted = true;
          reject(new DOMException('aborted', 'AbortError'));
        });
      });
    const jwks = createRemoteJwks(JWKS_URL, { fetch, timeoutMs: 50 });
    await expectCode(jwks(header('k1'), token), 'ERR_JWKS_UNAVAILABLE');
    expect(aborted).toBe(true);
  });

  it('[JWT-JWKS-BOUNDED] times out even when fetch ignores the abort signal, and a body that stalls', async () => {
    const never = createRemoteJwks(JWKS_URL, { fetch: () => new Promise(() => undefined), timeoutMs: 50 });
    await expectCode(never(header('k1'), token), 'ERR_JWKS_UNAVAILABLE');
    const stalled = new ReadableStream<Uint8Array>({
      start: (controller) => controller.enqueue(new Uint8Array([123])),
    });
    const slowBody = createRemoteJwks(JWKS_URL, { fetch: fetchReturning(() => new Response(stalled)), timeoutMs: 50 });
    await expectCode(slowBody(header('k1'), token), 'ERR_JWKS_UNAVAILABLE');
  });

  it('[JWT-JWKS-BOUNDED] refuses a body over the size cap, reading no further than needed', async () => {
    let pulled = 0;
    const endless = () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull: (controller) => {
            pulled += 1;
            controller.enqueue(new Uint8Array(1024).fill(32));
          },
        }),
      );
    const jwks = createRemoteJwks(JWKS_URL, { fetch: fetchReturning(endless), maxBytes: 4096 });
    await expectCode(jwks(header('k1'), token), 'ERR_JWKS_UNAVAILABLE');
    expect(pulled).toBeLessThan(10);
  });

  it('[JWT-JWKS-BOUNDED] refuses a declared Content-Length over the cap', async () => {
    const big = () =>
      new Response(JSON.stringify({ keys: [first.publicJwk] }), { headers: { 'content-length': '100000' } });
    const jwks = createRemoteJwks(JWKS_URL, { fetch: fetchReturning(big), maxBytes: 65536 });
    await expectCode(jwks(header('k1'), token), 'ERR_JWKS_UNAVAILABLE');
  });

  it('[JWT-JWKS-BOUNDED] refuses non-200 answers, non-JSON and non-JWKS bodies, and network errors', async () => {
    const answers: Array<() => Response | Promise<Response>> = [
      () => new Response('{}', { status: 500 }),
      () => new Response('{}', { status: 302, headers: { location: 'https://evil.example.com' } }),
      () => new Response('not json'),
      () => new Response(new Uint8Array([0xff, 0xfe])),
      () => new Response('[]'),
      () => new Response('{"keys":{}}'),
      () => new Response('{"keys":[{"kid":"k1"}]}'),
      () => new Response('{"keys":[42]}'),
      () => new Response(null),
      () => Promise.reject(new TypeError('fetch failed')),
    ];
    for (const answer of answers) {
      const jwks = createRemoteJwks(JWKS_URL, { fetch: fetchReturning(answer) });
      await expectCode(jwks(header('k1'), token), 'ERR_JWKS_UNAVAILABLE');
    }
  });

  it('[JWT-JWKS-BOUNDED] does not hammer a failing endpoint: failures also respect the cooldown', async () => {
    let calls = 0;
    let clock = 0;
    const fetch: typeof globalThis.fetch = async () => {
      calls += 1;
      return new Response('oops', { status: 503 });
    };
    const jwks = createRemoteJwks(JWKS_URL, { fetch, now: () => clock, cooldownSeconds: 30 });
    await expectCode(jwks(header('k1'), token), 'ERR_JWKS_UNAVAILABLE');
    await expectCode(jwks(header('k1'), token), 'ERR_JWKS_UNAVAILABLE');
    expect(calls).toBe(1);
    clock += 29_999;
    await expectCode(jwks(header('k1'), token), 'ERR_JWKS_UNAVAILABLE');
    expect(calls).toBe(1);
    clock += 1;
    await expectCode(jwks(header('k1'), token), 'ERR_JWKS_UNAVAILABLE');
    expect(calls).toBe(2);
    await expectCode(jwks.reload(), 'ERR_JWKS_UNAVAILABLE');
  });
});
