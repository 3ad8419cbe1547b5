/**
 * Secrets an app generates for itself instead of shipping a default: a development admin token (new at each boot)
 * or a session secret (one per install, kept across restarts). Each lives in a file of the app's data directory
 * that only its owner may read, so no secret is ever written in source, a log line or a README.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../config/config-error.js';

/** Shorter kept secrets are refused: 32 characters is the floor every app sets on a configured secret. */
const MIN_SECRET_LENGTH = 32;

/** A fresh secret: 32 bytes (256 bits) from the operating system's CSPRNG, base64url-encoded (43 characters). */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

/**
 * Writes `secret` to `file`, replacing what was there, readable and writable by the owner only (mode 0600). Written
 * to a temporary file first and renamed, so a reader never sees half a secret; the directory is created (0700).
 */
export function writeSecretFile(file: string, secret: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${secret}\n`, { mode: 0o600 });
  // The mode of writeFileSync applies only when it creates the file (and the umask may narrow it): set it exactly.
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}

/**
 * The secret kept in `file`; on first use, a {@link generateSecret} written there with mode 0600. Two processes
 * starting at once agree: the file is created exclusively, and the loser reads the winner's secret.
 *
 * @throws ConfigError when the kept secret is shorter than 32 characters (a damaged file is never used as is).
 */
export function readOrCreateSecretFile(file: string): string {
  const kept = readSecret(file);
  if (kept !== undefined) return kept;
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const secret = generateSecret();
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
    const winner = readSecret(file);
    if (winner !== undefined) return winner;
    throw error;
  }
  chmodSync(file, 0o600);
  return secret;
}

function readSecret(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  const secret = text.trim();
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(`${file}: the kept secret must be at least ${MIN_SECRET_LENGTH} characters; remove the file`);
  }
  return secret;
}
