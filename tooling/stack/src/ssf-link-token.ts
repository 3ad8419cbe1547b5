import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The file under the data root that keeps the demo's SSF link token across restarts. */
export const SSF_LINK_TOKEN_FILE = 'ssf-link-token';

/**
 * The bearer token with which the demo RAS manages its event stream at the demo IdP (SSF 1.0 §8, RFC 6750): the
 * IdP registers the RAS as a Receiver with it (`IDP_DEMO_SSF_RECEIVER_TOKEN`), the RAS presents it
 * (`RAS_SSF_TRANSMITTER_TOKEN`). Generated once per install (32 random bytes) into `<dataRoot>/ssf-link-token`,
 * mode 0600, and read from there afterwards: the IdP stores only its hash, so it must survive restarts. Never a
 * fixed or published value.
 */
export function ssfLinkToken(dataRoot: string): string {
  const file = join(dataRoot, SSF_LINK_TOKEN_FILE);
  try {
    const kept = readFileSync(file, 'utf8').trim();
    if (kept.length >= 32) return kept;
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error;
  }
  mkdirSync(dataRoot, { recursive: true });
  const token = randomBytes(32).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}
