/** Scopes of the IdP's own sign-in (OIDC Core §5.4, plus `groups` and `offline_access` §11). */
export const SUPPORTED_SCOPES = ['openid', 'profile', 'email', 'groups', 'offline_access'] as const;

/** OIDC Core §3.1.2.1 `prompt` values this IdP understands. */
export const SUPPORTED_PROMPTS = ['none', 'login', 'consent', 'select_account'] as const;

/** Claims this IdP puts in ID tokens and userinfo (OIDC Discovery `claims_supported`). */
export const SUPPORTED_CLAIMS = [
  'sub',
  'iss',
  'aud',
  'exp',
  'iat',
  'auth_time',
  'acr',
  'amr',
  'nonce',
  'sid',
  'azp',
  'name',
  'email',
  'email_verified',
  'preferred_username',
  'groups',
] as const;

/** RFC 7636 §4.2: the only code challenge method this IdP accepts (`plain` is refused, RFC 9700 §2.1.1). */
export const PKCE_METHOD_S256 = 'S256';
