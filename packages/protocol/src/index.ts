export {
  ACR_MULTI_FACTOR,
  ACR_PASSWORD,
  AMR_HARDWARE_KEY,
  AMR_MULTI_FACTOR,
  AMR_PASSWORD,
  AMR_SOFTWARE_KEY,
  AMR_USER_PRESENCE,
  CLIENT_ASSERTION_TYPE_JWT_BEARER,
  DEFAULT_ALGORITHMS,
  EMA_EXTENSION_ID,
  GRANT_PROFILE_ID_JAG,
  GRANT_TYPE_AUTHORIZATION_CODE,
  GRANT_TYPE_JWT_BEARER,
  GRANT_TYPE_REFRESH_TOKEN,
  GRANT_TYPE_TOKEN_EXCHANGE,
  IDP_ONLY_SCOPES,
  MEDIA_TYPE_FORM,
  MEDIA_TYPE_JSON,
  MEDIA_TYPE_JSON_LINES,
  MEDIA_TYPE_JWK_SET,
  TOKEN_TYPE_ACCESS_TOKEN,
  TOKEN_TYPE_BEARER,
  TOKEN_TYPE_ID_JAG,
  TOKEN_TYPE_ID_TOKEN,
  TOKEN_TYPE_JWT,
  TOKEN_TYPE_NOT_APPLICABLE,
  TOKEN_TYPE_REFRESH_TOKEN,
  TOKEN_TYPE_SAML2,
  TYP_ACCESS_TOKEN,
  TYP_ACCESS_TOKEN_MEDIA_TYPE,
  TYP_ID_JAG,
  TYP_ID_TOKEN,
  WELL_KNOWN_OAUTH_AUTHORIZATION_SERVER,
  WELL_KNOWN_OAUTH_PROTECTED_RESOURCE,
  WELL_KNOWN_OPENID_CONFIGURATION,
} from './constants.js';
export { AuditQueryParameters, AuditRecordList, AuditRecordView } from './schemas/audit.js';
export { AccessTokenClaims, Confirmation, IdJagClaims, IdTokenClaims } from './schemas/claims.js';
export { AuthorizationServerMetadata, JsonWebKeySet, ProtectedResourceMetadata } from './schemas/metadata.js';
export { OAUTH_ERROR_CODES, type OAuthErrorCode, OAuthErrorResponse } from './schemas/oauth-error.js';
export { ReceivedAuthorizationServerMetadata, ReceivedOAuthError } from './schemas/received.js';
export {
  AccessTokenResponse,
  AuthorizationCodeTokenRequest,
  IntrospectionResponse,
  JwtBearerRequest,
  OidcTokenResponse,
  RefreshTokenRequest,
  TokenExchangeRequest,
  TokenExchangeResponse,
  TokenResponse,
} from './schemas/token-requests.js';
export { UserinfoResponse } from './schemas/userinfo.js';
export { formatScope, parseScope } from './scope.js';
