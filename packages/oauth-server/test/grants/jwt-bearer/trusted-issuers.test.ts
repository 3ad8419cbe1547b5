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
    idps.byIssuer.delete(IDP);
    expect(lookup(IDP)).toBeUndefined();
  });
});
