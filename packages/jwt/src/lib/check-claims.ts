import { hasControlCharacter } from '@ema/protocol';
import type { Static, TSchema } from '@sinclair/typebox';
import { type TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler';
import { JwtValidationError } from '../errors.js';

type Claims = Record<string, unknown>;

function invalid(claim: string, why: string): JwtValidationError {
  return new JwtValidationError('ERR_JWT_CLAIM_INVALID', `"${claim}" ${why}`, { claim });
}

/**
 * The claim must be a non-empty string without control characters (`iss`, `sub`, `jti`, `client_id`): identifiers
 * that servers store and compare, where a control character means nothing (and PostgreSQL text cannot hold U+0000).
 */
export function requireNonEmptyString(claims: Claims, claim: string): string {
  const value = claims[claim];
  if (typeof value !== 'string' || value.length === 0 || hasControlCharacter(value)) {
    throw invalid(claim, 'must be a non-empty string without control characters');
  }
  return value;
}

/** When present, the claim must be a string (`nonce`, `azp`). */
export function optionalString(claims: Claims, claim: string): string | undefined {
  const value = claims[claim];
  if (value !== undefined && typeof value !== 'string') throw invalid(claim, 'must be a string');
  return value;
}

function isNumericDate(value: unknown): value is number {
  // RFC 7519 §2 allows fractions; this profile's issuers send whole seconds and the claim schemas say integer.
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** The claim must be a NumericDate in whole seconds (`exp`, `iat`). */
export function requireNumericDate(claims: Claims, claim: string): number {
  const value = claims[claim];
  if (!isNumericDate(value)) throw invalid(claim, 'must be a NumericDate (whole seconds)');
  return value;
}

/** When present, the claim must be a NumericDate in whole seconds (`nbf`, `auth_time`). */
export function optionalNumericDate(claims: Claims, claim: string): number | undefined {
  const value = claims[claim];
  if (value !== undefined && !isNumericDate(value)) throw invalid(claim, 'must be a NumericDate (whole seconds)');
  return value;
}

// One compiled checker per claim schema, built at its first use: on the request path a compiled check is a fraction of
// the cost of interpreting the schema each time.
const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checkerOf(schema: TSchema): TypeCheck<TSchema> {
  let checker = compiled.get(schema);
  if (checker === undefined) {
    checker = TypeCompiler.Compile(schema);
    compiled.set(schema, checker);
  }
  return checker;
}

/**
 * Last guard: the whole claims set matches the shared claim schema of `@ema/protocol`, so the typed result the
 * validator returns is true at run time (optional claims included: a non-string `email` is refused, not passed on).
 */
export function matchesSchema<T extends TSchema>(schema: T, claims: Claims): asserts claims is Claims & Static<T> {
  const checker = checkerOf(schema);
  if (checker.Check(claims)) return;
  const first = checker.Errors(claims).First();
  const claim = first?.path.split('/')[1] ?? '';
  throw invalid(claim, `does not match the claim schema${first ? `: ${first.message}` : ''}`);
}
