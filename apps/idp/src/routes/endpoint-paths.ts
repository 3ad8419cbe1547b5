/** The IdP's endpoint paths (relative to the issuer), published in its discovery document. */
export const ENDPOINT_PATHS = {
  authorization: '/authorize',
  login: '/login',
  passkeyLogin: '/login/passkey',
  account: '/account',
  logout: '/logout',
  token: '/token',
  userinfo: '/userinfo',
  jwks: '/jwks',
  admin: '/admin',
  adminApi: '/admin/api',
} as const;

/** The absolute URL of an endpoint under the issuer. */
export function endpointUrl(issuer: string, path: string): string {
  return `${issuer}${path}`;
}
