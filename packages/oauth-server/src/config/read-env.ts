import { ConfigError } from './config-error.js';

/**
 * Raw environment variables, as the process environment provides them. The readers below take it as an argument,
 * so that each app's `env.ts` stays the only place that reads the process environment.
 */
export type Environment = Readonly<Record<string, string | undefined>>;

/** The variable's value; unset and empty both mean "keep the default" (`undefined`). */
export function readEnvString(env: Environment, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * A non-negative integer written in decimal digits only (no sign, exponent or fraction).
 *
 * @throws ConfigError `"<NAME>: must be a non-negative integer"`.
 */
export function readEnvInteger(env: Environment, name: string): number | undefined {
  const value = readEnvString(env, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new ConfigError(`${name}: must be a non-negative integer`);
  return Number(value);
}

/**
 * `true`/`1` or `false`/`0`; anything else is refused rather than read as false.
 *
 * @throws ConfigError `"<NAME>: must be true or false"`.
 */
export function readEnvBoolean(env: Environment, name: string): boolean | undefined {
  const value = readEnvString(env, name);
  if (value === undefined) return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new ConfigError(`${name}: must be true or false`);
}

/** A comma- or space-separated list; empty items are dropped. */
export function readEnvList(env: Environment, name: string): string[] | undefined {
  const value = readEnvString(env, name);
  if (value === undefined) return undefined;
  return value.split(/[\s,]+/).filter((item) => item.length > 0);
}
