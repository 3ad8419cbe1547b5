import { OAuthError } from '../errors/oauth-error.js';
import { toOAuthError } from '../errors/to-oauth-error.js';
import { InvalidRequestError } from '../errors/token-errors.js';

interface FrameworkError {
  code?: unknown;
  statusCode?: unknown;
  validation?: unknown;
}

function asFrameworkError(error: unknown): FrameworkError {
  return typeof error === 'object' && error !== null ? (error as FrameworkError) : {};
}

/**
 * Maps an error raised while handling a request to the OAuth error to answer with: OAuth errors pass through;
 * the framework's refusals of a malformed request (schema validation, unsupported media type, body too large,
 * bad JSON, bad content length) become `invalid_request` with a fixed description; anything else becomes
 * `server_error`. No message of the original error is ever reused.
 */
export function requestErrorToOAuthError(error: unknown): OAuthError {
  if (error instanceof OAuthError) return error;
  const framework = asFrameworkError(error);
  if (Array.isArray(framework.validation)) {
    return new InvalidRequestError('the request does not match the expected parameters', { cause: error });
  }
  switch (framework.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new InvalidRequestError('unsupported content type', { cause: error });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new InvalidRequestError('request body too large', { cause: error });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new InvalidRequestError('malformed request body', { cause: error });
    default:
      break;
  }
  // Fastify's JSON parser reports a syntax error as a plain SyntaxError with statusCode 400.
  if (error instanceof SyntaxError && framework.statusCode === 400) {
    return new InvalidRequestError('malformed request body', { cause: error });
  }
  return toOAuthError(error);
}
