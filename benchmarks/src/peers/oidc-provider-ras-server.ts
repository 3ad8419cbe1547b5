/**
 * Entry point of the authorization server peer (`oidc-provider-ras-app.ts`): configured by the `PEER_RAS_*`
 * variables the harness sets, listens on loopback, closes on SIGTERM.
 */
import type { JWK } from 'jose';
import { buildOidcProviderPeer } from './oidc-provider-ras-app.js';

const required = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is required`);
  return value;
};

const port = Number(required('PEER_RAS_PORT'));
const provider = buildOidcProviderPeer({
  issuer: required('PEER_RAS_ISSUER'),
  idpIssuer: required('PEER_RAS_IDP_ISSUER'),
  idpJwksUri: required('PEER_RAS_IDP_JWKS_URI'),
  resource: required('PEER_RAS_RESOURCE'),
  scopes: required('PEER_RAS_SCOPES').split(' '),
  client: { clientId: required('PEER_RAS_CLIENT_ID'), clientSecret: required('PEER_RAS_CLIENT_SECRET') },
  signingKey: JSON.parse(required('PEER_RAS_SIGNING_JWK')) as JWK,
});
// oidc-provider answers `/.well-known/openid-configuration`; the launcher's health check wants a 200 somewhere.
const server = provider.listen(port, 'localhost');

const close = (): void => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', close);
process.on('SIGINT', close);
