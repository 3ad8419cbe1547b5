/**
 * The WebAuthn responses as the browser posts them (`toJSON()` of a `PublicKeyCredential`, WebAuthn L3 §5.1,
 * produced by `@simplewebauthn/browser`), checked against a schema before anything reads them.
 */
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

const Base64Url = Type.String({ pattern: '^[A-Za-z0-9_-]*$', maxLength: 16_384 });

/** WebAuthn L3 `AuthenticationResponseJSON`: an assertion (`navigator.credentials.get()`). */
export const AssertionResponse = Type.Object({
  id: Base64Url,
  rawId: Base64Url,
  type: Type.Literal('public-key'),
  response: Type.Object({
    clientDataJSON: Base64Url,
    authenticatorData: Base64Url,
    signature: Base64Url,
    userHandle: Type.Optional(Base64Url),
  }),
});
export type AssertionResponse = Static<typeof AssertionResponse>;

/** WebAuthn L3 `RegistrationResponseJSON`: a new credential (`navigator.credentials.create()`). */
export const AttestationResponse = Type.Object({
  id: Base64Url,
  rawId: Base64Url,
  type: Type.Literal('public-key'),
  response: Type.Object({
    clientDataJSON: Base64Url,
    attestationObject: Base64Url,
    transports: Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 10 })),
  }),
});
export type AttestationResponse = Static<typeof AttestationResponse>;

/** Parses a posted credential (a JSON string) against `schema`; undefined when it is not JSON or does not fit. */
export function readCredential<T extends typeof AssertionResponse | typeof AttestationResponse>(
  schema: T,
  posted: string | undefined,
): Static<T> | undefined {
  if (posted === undefined || posted.length > 65_536) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(posted);
  } catch {
    return undefined;
  }
  return Value.Check(schema, parsed) ? parsed : undefined;
}
