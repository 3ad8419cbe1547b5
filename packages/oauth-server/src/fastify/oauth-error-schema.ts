import { OAuthErrorResponse } from '@ema/protocol';
import { Type } from '@sinclair/typebox';

/**
 * The RFC 6749 §5.2 error body as a response schema. Same shape as `OAuthErrorResponse` without its `$id`, so
 * any number of routes can declare it inline without colliding schema ids.
 */
export const oauthErrorResponseSchema = Type.Object(OAuthErrorResponse.properties, { additionalProperties: false });
