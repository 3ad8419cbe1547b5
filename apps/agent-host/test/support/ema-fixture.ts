/** Builds an {@link EmaClient} wired to a fake world, with a controllable clock and subject tokens. */

import { afterEach } from 'vitest';
import { clientSecretBasic } from '../../src/ema/client-authentication.js';
import { EmaClient, type EmaUser } from '../../src/ema/ema-client.js';
import { chooseSubjectToken, type SignInTokens } from '../../src/ema/subject-token.js';
import { type FakeWorld, type FakeWorldOptions, IDP_CLIENT, RAS_CLIENT, startFakeWorld } from './fake-world.js';

export interface Fixture {
  ema: EmaClient;
  user: EmaUser;
  clock: { now: number };
  signIn: SignInTokens;
}

/** An EMA client for `world`, its clock frozen at `clock.now` (tests advance it). */
export function emaFixture(world: FakeWorld, overrides: { acceptUnadvertisedIdJagProfile?: boolean } = {}): Fixture {
  const clock = { now: Date.UTC(2030, 0, 1) };
  const signIn: SignInTokens = {
    idToken: 'id-token-of-alice',
    idTokenExpiresAt: clock.now + 600_000,
    refreshToken: 'refresh-token-of-alice',
  };
  const ema = new EmaClient({
    idp: { tokenEndpoint: async () => world.idpTokenEndpoint, clientAuthentication: clientSecretBasic(IDP_CLIENT) },
    rasCredentials: (issuer) => (issuer === world.rasIssuer ? RAS_CLIENT : undefined),
    allowInsecureLoopback: true,
    now: () => clock.now,
    ...overrides,
  });
  const user: EmaUser = { key: 'alice', subjectToken: async () => chooseSubjectToken(signIn, clock.now) };
  return { ema, user, clock, signIn };
}

/**
 * For a test file: registers an `afterEach` that closes the world, and returns `setUp`, which starts a fake world
 * (one per test) and an EMA client fixture on it.
 */
export function fakeWorldPerTest(): (options?: FakeWorldOptions) => Promise<Fixture & { world: FakeWorld }> {
  let world: FakeWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });
  return async (options = {}) => {
    world = await startFakeWorld(options);
    return { world, ...emaFixture(world) };
  };
}
