/**
 * Validation of what the client receives against the wire schemas of `@ema/protocol`. `Value.Check` interprets the
 * schema rather than compiling it with `new Function`, so the core also runs where code generation is forbidden
 * (strict CSP, edge runtimes); the client checks a handful of small documents per flow, so speed is not at stake.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** A received value that conforms to its schema, or the first reason it does not. */
export type WireCheck<T extends TSchema> = { ok: true; value: Static<T> } | { ok: false; problem: string };

/** Checks `value` against `schema`; the problem names the first offending member by its JSON pointer. */
export function checkWire<T extends TSchema>(schema: T, value: unknown): WireCheck<T> {
  if (Value.Check(schema, value)) return { ok: true, value };
  const first = Value.Errors(schema, value).First();
  return { ok: false, problem: first ? `${first.path || '/'}: ${first.message}` : 'does not conform' };
}
