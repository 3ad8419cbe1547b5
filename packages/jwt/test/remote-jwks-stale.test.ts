import { TYP_ID_JAG } from '@ema/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJwks, type RemoteJwksOptions } from '../src/index.js';
import { expectCode, makeKey, type TestKey } from './support/fixtures.js';

const JWKS_URL = 'https://idp.example.com/jwks';
const header = { alg: 'ES256', kid: 'k1', typ: TYP_ID_JAG };
const token = { payload: 'e30', signature: '' };

let key: TestKey;

beforeAll(async () => {
  key = await makeKey('k1');
});

/** An IdP key endpoint that can be taken down, with a fake clock; counts its calls. */
function idpWithOutage() {
  const state = { up: true, calls: 0, now: 1_000_000 };
  const fetch: typeof globalThis.fetch = async () => {
    state.calls += 1;
    if (!state.up) return new Response('down', { status: 503 });
    return new Response(JSON.stringify({ keys: [key.publicJwk] }), { status: 200 });
  };
  const options: RemoteJwksOptions = { fetch, now: () => state.now, timeoutMs: 60_000 };
  return { state, options };
}

describe('createRemoteJwks while the key endpoint is down', () => {
  it('[JWT-JWKS-STALE-BOUND] serves stale keys for at most one hour by default, then refuses with ERR_JWKS_UNAVAILABLE', async () => {
    const { state, options } = idpWithOutage();
    const jwks = createRemoteJwks(JWKS_URL, { ...options, cacheMaxAgeSeconds: 600 });
    await jwks(header, token);
    state.up = false;
    // Stale from 600 s on; served while the refetch fails, up to 600 s + 3600 s after the fetch.
    state.now += 600_000 + 3_600_000;
    await expect(jwks(header, token)).resolves.toBeDefined();
    state.now += 1;
    await expectCode(jwks(header, token), 'ERR_JWKS_UNAVAILABLE');
    // Never again while the endpoint stays down, however the cooldown falls.
    for (const step of [1, 30_000, 86_400_000]) {
      state.now += step;
      await expectCode(jwks(header, token), 'ERR_JWKS_UNAVAILABLE');
    }
  });

  it('[JWT-JWKS-STALE-BOUND] honours a configured bound, and zero serves no stale key at all', async () => {
    const bounded = idpWithOutage();
    const jwks = createRemoteJwks(JWKS_URL, { ...bounded.options, cacheMaxAgeSeconds: 600, staleIfErrorSeconds: 60 });
    await jwks(header, token);
    bounded.state.up = false;
    bounded.state.now += 660_000;
    await expect(jwks(header, token)).resolves.toBeDefined();
    bounded.state.now += 1;
    await expectCode(jwks(header, token), 'ERR_JWKS_UNAVAILABLE');

    const strict = idpWithOutage();
    const none = createRemoteJwks(JWKS_URL, { ...strict.options, cacheMaxAgeSeconds: 600, staleIfErrorSeconds: 0 });
    await none(header, token);
    strict.state.up = false;
    strict.state.now += 600_001;
    await expectCode(none(header, token), 'ERR_JWKS_UNAVAILABLE');
  });

  it('[JWT-JWKS-STALE-BOUND] recovers as soon as the endpoint answers again (after the cooldown)', async () => {
    const { state, options } = idpWithOutage();
    const jwks = createRemoteJwks(JWKS_URL, { ...options, cacheMaxAgeSeconds: 600, staleIfErrorSeconds: 60 });
    await jwks(header, token);
    state.up = false;
    state.now += 700_000;
    await expectCode(jwks(header, token), 'ERR_JWKS_UNAVAILABLE');
    const calls = state.calls;
    state.up = true;
    await expectCode(jwks(header, token), 'ERR_JWKS_UNAVAILABLE');
    expect(state.calls).toBe(calls);
    state.now += 30_000;
    await expect(jwks(header, token)).resolves.toBeDefined();
    expect(state.calls).toBe(calls + 1);
  });

  it('[JWT-JWKS-STALE-BOUND] refuses an invalid bound', () => {
    for (const staleIfErrorSeconds of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createRemoteJwks(JWKS_URL, { staleIfErrorSeconds })).toThrow(
        new RangeError('staleIfErrorSeconds must be a finite, non-negative number of seconds'),
      );
    }
  });
});
