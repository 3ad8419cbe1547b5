/** Sealing of secrets at rest (IdP tokens, PKCE verifiers): AES-256-GCM under a key derived from the session secret. */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** Seals and opens strings. */
export interface Sealer {
  seal(plaintext: string): string;
  open(sealed: string): string | undefined;
}

/** A sealer keyed by `secret` (HKDF-SHA256, purpose-labelled). */
export function createSealer(secret: string): Sealer {
  const key = Buffer.from(hkdfSync('sha256', secret, 'ema-agent-host', 'token-sealing-v1', 32));
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open(sealed) {
      try {
        const raw = Buffer.from(sealed, 'base64url');
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        // Sealed under another secret (it was rotated) or tampered with: as if absent.
        return undefined;
      }
    },
  };
}
