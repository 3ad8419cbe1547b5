import { AuthorizationDetails } from '@ema/protocol';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { InvalidAuthorizationDetailsError } from '../../errors/token-errors.js';

const checkAuthorizationDetails = TypeCompiler.Compile(AuthorizationDetails);

/**
 * RFC 9396 §6.2: the `authorization_details` token request parameter, a JSON array of authorization detail objects
 * (RFC 9396 §2), or `undefined` when absent. Whether the grant covers it is the redemption's question.
 *
 * @throws InvalidAuthorizationDetailsError when it is not JSON or not an array of objects with a `type` (§5).
 */
export function parseRequestedAuthorizationDetails(value: string | undefined): AuthorizationDetails | undefined {
  if (value === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new InvalidAuthorizationDetailsError('authorization_details is not JSON');
  }
  if (!checkAuthorizationDetails.Check(parsed)) {
    throw new InvalidAuthorizationDetailsError('authorization_details is not an array of authorization detail objects');
  }
  return parsed;
}
