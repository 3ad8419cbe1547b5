/** The `resources.authorization_detail_types` column: the RFC 9396 types a resource understands, as JSON. */
import type { AuthorizationDetailType } from '@ema/oauth-server';
import { Type } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';

const StoredTypes = TypeCompiler.Compile(
  Type.Array(
    Type.Object({
      type: Type.String({ minLength: 1 }),
      actions: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
      identifiers: Type.Boolean(),
    }),
  ),
);

/** Reads the column; a value that is not the stored shape is a corrupt database, not a resource with no types. */
export function readAuthorizationDetailTypes(column: string): AuthorizationDetailType[] {
  const parsed: unknown = JSON.parse(column);
  if (!StoredTypes.Check(parsed)) throw new Error('resources.authorization_detail_types is not a list of types');
  return parsed;
}

/** Writes the column (only the three fields of a type, in a fixed order). */
export function writeAuthorizationDetailTypes(types: readonly AuthorizationDetailType[] = []): string {
  return JSON.stringify(types.map(({ type, actions, identifiers }) => ({ type, actions, identifiers })));
}
