import { exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTrustedIssuerLookup, type TrustedIdpEntry } from '../../../src/index.js';

const OWN = 'https://ras.example';
const IDP = 'https://idp.example';

function registry(entries: TrustedIdpEntry[]) {
  const byIssuer = new Map(entries.map((entry) => [entry.issuer, entry]));
  return { byIssuer, findTrustedIdp: (issuer: string) => byIssuer.get(issuer) };
}

describe('createTrustedIssuerLookup', () => {
  it('[RAS-IDJAG-4.4.1-TRUSTED-ISSUER] trusts exactly the registered issuers, with their algorithms', () => {
    const lookup = createTrustedIssuerLookup(
      registry([{ issuer: IDP, jwksUri: `${IDP}/jwks`, algorithms: ['ES256'] }]),
      { ownIssuer: OWN },
    );
    expect(lookup(IDP)).toMatchObject({ issuer: IDP, algorithms: ['ES256'] });
    expect(lookup(`${IDP}/`)).toBeUndefined();
    expect(lookup('https://evil.example')).toBeUndefined();
  });

  it('[RAS-IDJAG-4.4.1-NOT-OWN-ISSUER] never trusts its own issuer, even when registered', () => {
    const lookup = createTrustedIssuerLookup(
      registry([{ issuer: OWN, jwksUri: `${OWN}/jwks.json`, algorithms: ['ES256'] }]),
      { ownIssuer: OWN },
    );
    expect(lookup(OWN)).toBeUndefined();
  });

  it('[RAS-IDJAG-4.4.1-JWKS-REFRESH] keeps one JWKS resolver per issuer until its registration changes or goes', () => {
    const idps = registry([{ issuer: IDP, jwksUri: `${IDP}/jwks`, algorithms: ['ES256'] }]);
    const lookup = createTrustedIssuerLookup(idps, { ownIssuer: OWN });
    const first = lookup(IDP);
    expect(lookup(IDP)).toBe(first);
    idps.byIssuer.set(IDP, { issuer: IDP, jwksUri: `${IDP}/keys`, algorithms: ['ES256'] });
    const moved = lookup(IDP);
    expect(moved).not.toBe(first);
    expect(moved?.keys).not.toBe(first?.keys);
    idps.byIssuer.set(IDP, { issuer: IDP, jwksUri: `${IDP}/keys`, algorithms: ['ES256', 'EdDSA'] });
    expect(lookup(IDP)?.algorithms).toEqual(['ES256', 'EdDSA']);
    // Another list is another registration, even one whose names run together the same way.
    idps.byIssuer.set(IDP, { issuer: IDP, jwksUri: `${IDP}/keys`, algorithms: ['ES256E', 'dDSA'] });
    expect(lookup(IDP)?.algorithms).toEqual(['ES256E', 'dDSA']);
    idps.byIssuer.delete(IDP);
    expect(lookup(IDP)).toBeUndefined();
  });

  it('[RAS-IDJAG-4.4.1-JWKS-REFRESH] starts afresh with an issuer that was removed and registered again', () => {
    const entry = { issuer: IDP, jwksUri: `${IDP}/jwks`, algorithms: ['ES256'] };
    const idps = registry([entry]);
    const lookup = createTrustedIssuerLookup(idps, { ownIssuer: OWN });
    const first = lookup(IDP);
    idps.byIssuer.delete(IDP);
    expect(lookup(IDP)).toBeUndefined();
    idps.byIssuer.set(IDP, entry);
    // The keys cached before the removal are not trusted again: a new resolver fetches the issuer's keys anew.
    expect(lookup(IDP)?.keys).not.toBe(first?.keys);
  });

  it('[JWT-JWKS-STALE-BOUND] builds each resolver with the fetch, the clock and the stale-key bound it is given', async () => {
    const { publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
    const idp = { up: true, now: 1_000_000, fetched: [] as string[] };
    const fetch: typeof globalThis.fetch = async (input) => {
      idp.fetched.push(String(input));
      return idp.up
        ? new Response(JSON.stringify({ keys: [jwk] }), { status: 200 })
        : new Response('', { status: 503 });
    };
    const header = { alg: 'ES256', kid: 'k1' };
    const token = { payload: 'e30', signature: '' };
    const lookups = {
      bounded: createTrustedIssuerLookup(registry([{ issuer: IDP, jwksUri: `${IDP}/jwks`, algorithms: ['ES256'] }]), {
        ownIssuer: OWN,
        staleIfErrorSeconds: 0,
        fetch,
        now: () => idp.now,
      }),
      unbounded: createTrustedIssuerLookup(registry([{ issuer: IDP, jwksUri: `${IDP}/jwks`, algorithms: ['ES256'] }]), {
        ownIssuer: OWN,
        fetch,
        now: () => idp.now,
      }),
    };
    for (const lookup of Object.values(lookups)) await expect(lookup(IDP)?.keys(header, token)).resolves.toBeDefined();
    expect(idp.fetched).toEqual([`${IDP}/jwks`, `${IDP}/jwks`]);
    // Past the cache's 10 minutes, with the IdP down: no stale key at all with a bound of 0, the default hour else.
    idp.up = false;
    idp.now += 601_000;
    await expect(lookups.bounded(IDP)?.keys(header, token)).rejects.toMatchObject({ code: 'ERR_JWKS_UNAVAILABLE' });
    await expect(lookups.unbounded(IDP)?.keys(header, token)).resolves.toBeDefined();
  });
});
