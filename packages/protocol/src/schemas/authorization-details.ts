import { type Static, Type } from '@sinclair/typebox';

const Strings = Type.Array(Type.String());

/**
 * RFC 9396 §2: one authorization detail object. `type` is required; the common data fields of §2.2 (`locations`,
 * `actions`, `datatypes`, `identifier`, `privileges`) have their registered shapes; a type may define more fields,
 * so other members are allowed here and judged by the type's definition (an unknown field is never dropped silently).
 */
export const AuthorizationDetail = Type.Object(
  {
    type: Type.String({ minLength: 1 }),
    locations: Type.Optional(Strings),
    actions: Type.Optional(Strings),
    datatypes: Type.Optional(Strings),
    identifier: Type.Optional(Type.String()),
    privileges: Type.Optional(Strings),
  },
  { additionalProperties: true },
);
export type AuthorizationDetail = Static<typeof AuthorizationDetail>;

/** RFC 9396 §2: the `authorization_details` parameter and claim, a JSON array of authorization detail objects. */
export const AuthorizationDetails = Type.Array(AuthorizationDetail);
export type AuthorizationDetails = Static<typeof AuthorizationDetails>;
