/** Builds an {@link EmaClient} wired to a fake world, with a controllable clock, subject tokens and registration. */

import { afterEach } from 'vitest';
import { clientSecretBasic } from '../../src/client-authentication.js';
import type { EmaClientOptions, EmaUser } from '../../src/configuration.js';
import { EmaClient } from '../../src/ema-client.js';
import { chooseSubjectToken, type SignInTokens } from '../../src/subject-token.js';
import { type FakeWorld, type FakeWorldOptions, IDP_CLIENT, RAS_CLIENT, startFakeWorld } from './fake-world.js';

export interface Fixture {
  ema: EmaClient;
  user: EmaUser;
  clock: { now: number };
  signIn: SignInTokens;
  /** Whether the host is registered at the world's RAS (tests revoke the registration). */
  registration: { atRas: boolean };
}

/** An EMA client for `world`, its clock frozen at `clock.now` (tests advance it). */
export function emaFixture(world: FakeWorld, overrides: Partial<EmaClientOptions> = {}): Fixture {
  const clock = { now: Date.UTC(2030, 0, 1) };
  const registration = { atRas: true };
  const signIn: SignInTokens = {
    idToken: 'id-token-of-alice',
    idTokenExpiresAt: clock.now + 600_000,
    refreshToken: 'refresh-token-of-alice',
  };
  const atRas = clientSecretBasic(RAS_CLIENT);
  const ema = new EmaClient({
    idp: { tokenEndpoint: async () => world.idpTokenEndpoint, clientAuthentication: clientSecretBasic(IDP_CLIENT) },
    rasClientAuthentication: (issuer) => (registration.atRas && issuer === world.rasIssuer ? atRas : undefined),
    allowInsecureLoopback: true,
    now: () => clock.now,
    ...overrides,
  });
  const user: EmaUser = { key: 'alice', subjectToken: async () => chooseSubjectToken(signIn, clock.now) };
  return { ema, user, clock, signIn, registration };
}

/**
 * For a test file: registers an `afterEach` that closes the world, and returns `setUp`, which starts a fake world
 * (one per test) and an EMA client fixture on it.
 */
export function fakeWorldPerTest(): (
  options?: FakeWorldOptions,
  overrides?: Partial<EmaClientOptions>,
) => Promise<Fixture & { world: FakeWorld }> {
  let world: FakeWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });
  return async (options = {}, overrides = {}) => {
    world = await startFakeWorld(options);
    return { world, ...emaFixture(world, overrides) };
  };
}
