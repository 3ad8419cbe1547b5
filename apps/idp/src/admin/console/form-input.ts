import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { invalidAdminInput } from '../admin-errors.js';

/** Splits a space-, comma- or newline-separated form field into its values. */
export function listField(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter((item) => item.length > 0);
}

/** Splits a textarea of `key = value` lines into a record. */
export function mappingField(value: string | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const line of (value ?? '').split(/\r?\n/)) {
    const separator = line.indexOf('=');
    if (separator === -1) continue;
    const key = line.slice(0, separator).trim();
    const item = line.slice(separator + 1).trim();
    if (key !== '' && item !== '') record[key] = item;
  }
  return record;
}

/** Checks a value built from a form against the admin API's schema, so both paths accept exactly the same input. */
export function checkFormInput<S extends TSchema>(schema: S, value: unknown): Static<S> {
  if (Value.Check(schema, value)) return value;
  const first = Value.Errors(schema, value).First();
  throw invalidAdminInput(
    first === undefined ? 'invalid input' : `${first.path.slice(1) || 'input'}: ${first.message}`,
  );
}
