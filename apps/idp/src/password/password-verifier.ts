import type { UserWithPassword } from '../storage/directory-types.js';
import { hashPassword, verifyPassword } from './password-hash.js';

/** Checks sign-in credentials in constant-ish time, whether or not the user exists. */
export interface PasswordVerifier {
  /** True when `user` exists and `password` matches its hash. */
  verify(user: UserWithPassword | undefined, password: string): Promise<boolean>;
  /** Resolves once the decoy hash exists (call at startup, so no request pays for it). */
  ready(): Promise<void>;
}

/**
 * A verifier that, for an unknown user, still runs scrypt against a decoy hash, so response time does not tell
 * which usernames exist. The decoy is computed once, at {@link PasswordVerifier.ready} or on first need.
 */
export function createPasswordVerifier(cost: number): PasswordVerifier {
  let decoy: Promise<string> | undefined;
  return {
    async verify(user, password) {
      if (user !== undefined) return verifyPassword(password, user.passwordHash);
      decoy ??= hashPassword('decoy password', cost);
      await verifyPassword(password, await decoy);
      return false;
    },
    async ready() {
      decoy ??= hashPassword('decoy password', cost);
      await decoy;
    },
  };
}
