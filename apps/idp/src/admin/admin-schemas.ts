import { NO_CONTROL_CHARACTERS_PATTERN } from '@ema/protocol';
import { type Static, Type } from '@sinclair/typebox';

// No control character in what an administrator types (names, descriptions, URIs, client ids): `@ema/protocol`'s
// hasControlCharacter, as a pattern.
const PRINTABLE = NO_CONTROL_CHARACTERS_PATTERN;
const Email = Type.String({
  pattern: '^[^@\\s\\u0000-\\u001F\\u007F]+@[^@\\s\\u0000-\\u001F\\u007F]+$',
  maxLength: 320,
});
const Name = Type.String({ minLength: 1, maxLength: 200, pattern: PRINTABLE });
const Identifier = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' });
const Strings = Type.Array(Type.String({ minLength: 1, maxLength: 2000, pattern: PRINTABLE }), { maxItems: 50 });

/** `POST /admin/api/users`. */
export const UserInput = Type.Object(
  {
    username: Identifier,
    password: Type.String({ minLength: 8, maxLength: 200 }),
    name: Name,
    email: Email,
    groups: Type.Optional(Type.Array(Identifier, { maxItems: 50 })),
  },
  { additionalProperties: false },
);
export type UserInput = Static<typeof UserInput>;

/** `PATCH /admin/api/users/:id`: every field optional; `groups` replaces the memberships. */
export const UserPatch = Type.Partial(
  Type.Object({
    name: Name,
    email: Email,
    password: Type.String({ minLength: 8, maxLength: 200 }),
    disabled: Type.Boolean(),
    groups: Type.Array(Identifier, { maxItems: 50 }),
  }),
  { additionalProperties: false },
);
export type UserPatch = Static<typeof UserPatch>;

/** `POST /admin/api/groups`. */
export const GroupInput = Type.Object(
  { name: Identifier, description: Type.Optional(Type.String({ maxLength: 500, pattern: PRINTABLE })) },
  { additionalProperties: false },
);
export type GroupInput = Static<typeof GroupInput>;

const ClientFields = {
  name: Name,
  redirectUris: Strings,
  postLogoutRedirectUris: Type.Optional(Strings),
  mayRequestIdJag: Type.Boolean(),
  /** RAS issuer -> the client's id at that RAS. */
  rasClientIds: Type.Record(
    Type.String({ minLength: 1, pattern: PRINTABLE }),
    Type.String({ minLength: 1, maxLength: 200, pattern: PRINTABLE }),
  ),
};

/** `POST /admin/api/clients`: the response carries the generated secret, once. */
export const ClientInput = Type.Object({ clientId: Identifier, ...ClientFields }, { additionalProperties: false });
export type ClientInput = Static<typeof ClientInput>;

/** `PATCH /admin/api/clients/:clientId`. */
export const ClientPatch = Type.Partial(Type.Object(ClientFields), { additionalProperties: false });
export type ClientPatch = Static<typeof ClientPatch>;

const Scopes = Type.Array(Type.String({ pattern: '^[\\x21\\x23-\\x5B\\x5D-\\x7E]+$' }), { maxItems: 50 });

/** `POST /admin/api/resources`. */
export const ResourceInput = Type.Object(
  {
    id: Identifier,
    name: Name,
    audience: Type.String({ minLength: 1 }),
    resource: Type.String({ minLength: 1 }),
    scopes: Scopes,
  },
  { additionalProperties: false },
);
export type ResourceInput = Static<typeof ResourceInput>;

/** `PATCH /admin/api/resources/:id`. */
export const ResourcePatch = Type.Partial(Type.Omit(ResourceInput, ['id']), { additionalProperties: false });
export type ResourcePatch = Static<typeof ResourcePatch>;

/** `POST /admin/api/policy-rules` (and `PUT /admin/api/policy-rules/:id` without `id`). */
export const PolicyRuleInput = Type.Object(
  {
    id: Type.Optional(Identifier),
    description: Name,
    effect: Type.Union([Type.Literal('allow'), Type.Literal('deny')]),
    subjectType: Type.Union([Type.Literal('user'), Type.Literal('group')]),
    subject: Identifier,
    clientId: Type.Optional(Type.Union([Identifier, Type.Null()])),
    resourceId: Identifier,
    scopes: Scopes,
    maxAuthAgeSeconds: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
    requiredAmr: Type.Optional(Type.Union([Type.Array(Type.String({ minLength: 1 }), { maxItems: 10 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type PolicyRuleInput = Static<typeof PolicyRuleInput>;

/** `POST /admin/api/what-if`: evaluate policy for a hypothetical exchange, minting nothing. */
export const WhatIfInput = Type.Object(
  {
    username: Type.String({ minLength: 1 }),
    clientId: Type.String({ minLength: 1 }),
    /** The resource identifier (the `resource` parameter of the exchange). */
    resource: Type.String({ minLength: 1 }),
    /** Space-separated scopes; absent asks for every scope the resource offers. */
    scope: Type.Optional(Type.String()),
    /** Age of the hypothetical sign-in in seconds (default 0: just now). */
    authAgeSeconds: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Authentication methods of the hypothetical sign-in (default `["pwd"]`). */
    amr: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 10 })),
  },
  { additionalProperties: false },
);
export type WhatIfInput = Static<typeof WhatIfInput>;
