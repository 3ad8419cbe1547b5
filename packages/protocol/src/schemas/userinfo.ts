import { type Static, Type } from '@sinclair/typebox';

/** OIDC Core §5.3.2 userinfo response: `sub` always, the other claims as the granted scopes release them. */
export const UserinfoResponse = Type.Object({
  sub: Type.String(),
  name: Type.Optional(Type.String()),
  preferred_username: Type.Optional(Type.String()),
  email: Type.Optional(Type.String()),
  email_verified: Type.Optional(Type.Boolean()),
  groups: Type.Optional(Type.Array(Type.String())),
});
export type UserinfoResponse = Static<typeof UserinfoResponse>;
