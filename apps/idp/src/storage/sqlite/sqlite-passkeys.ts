import type { SqlDatabase } from '@ema/storage';
import type { PasskeyStorage } from '../idp-storage.js';
import type { Passkey, PasskeyDeviceType, WebAuthnCeremony, WebAuthnChallenge } from '../passkey-types.js';
import { readStringArray } from './json-columns.js';
import { isStorableText } from './text-keys.js';

interface PasskeyRow {
  credential_id: string;
  user_id: string;
  user_handle: string;
  public_key: Buffer;
  counter: number;
  transports: string;
  device_type: PasskeyDeviceType;
  backed_up: number;
  name: string;
  created_at: number;
  last_used_at: number | null;
}

interface ChallengeRow {
  binding: string;
  ceremony: WebAuthnCeremony;
  challenge: string;
  user_id: string | null;
  expires_at: number;
}

const toPasskey = (row: PasskeyRow): Passkey => ({
  credentialId: row.credential_id,
  userId: row.user_id,
  userHandle: row.user_handle,
  publicKey: new Uint8Array(row.public_key),
  counter: row.counter,
  transports: readStringArray(row.transports),
  deviceType: row.device_type,
  backedUp: row.backed_up === 1,
  name: row.name,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
});

/** Passkeys and WebAuthn challenges (migration 104, either store); taking a challenge is one atomic DELETE. */
export function createSqlitePasskeyStorage(db: SqlDatabase): PasskeyStorage {
  const listPasskeys = db.prepare<[string], PasskeyRow>(
    'SELECT * FROM passkeys WHERE user_id = ? ORDER BY created_at, credential_id',
  );
  const countPasskeys = db.prepare<[], { user_id: string; count: number }>(
    'SELECT user_id, COUNT(*) AS count FROM passkeys GROUP BY user_id',
  );
  const findPasskey = db.prepare<[string], PasskeyRow>('SELECT * FROM passkeys WHERE credential_id = ?');
  const insertPasskey = db.prepare(
    `INSERT INTO passkeys (credential_id, user_id, user_handle, public_key, counter, transports, device_type,
       backed_up, name, created_at, last_used_at)
     VALUES (@credentialId, @userId, @userHandle, @publicKey, @counter, @transports, @deviceType, @backedUp, @name,
       @createdAt, @lastUsedAt)`,
  );
  const recordUse = db.prepare(
    `UPDATE passkeys SET counter = @counter, device_type = @deviceType, backed_up = @backedUp, last_used_at = @at
     WHERE credential_id = @credentialId AND counter = @previousCounter`,
  );
  const deletePasskey = db.prepare<[string, string]>('DELETE FROM passkeys WHERE user_id = ? AND credential_id = ?');
  const deleteUserPasskeys = db.prepare<[string]>('DELETE FROM passkeys WHERE user_id = ?');
  const deleteUserChallenges = db.prepare<[string]>('DELETE FROM webauthn_challenges WHERE user_id = ?');
  const insertHandle = db.prepare<[string, string]>(
    'INSERT INTO passkey_user_handles (user_id, handle) VALUES (?, ?) ON CONFLICT DO NOTHING',
  );
  const findHandle = db.prepare<[string], { handle: string }>(
    'SELECT handle FROM passkey_user_handles WHERE user_id = ?',
  );
  const issueChallenge = db.prepare(
    `INSERT INTO webauthn_challenges (binding, ceremony, challenge, user_id, expires_at)
     VALUES (@binding, @ceremony, @challenge, @userId, @expiresAt)
     ON CONFLICT (binding, ceremony) DO UPDATE SET challenge = excluded.challenge, user_id = excluded.user_id,
       expires_at = excluded.expires_at`,
  );
  // One statement: of two requests presenting answers to the same challenge, exactly one gets it.
  const takeChallenge = db.prepare<[string, WebAuthnCeremony], ChallengeRow>(
    'DELETE FROM webauthn_challenges WHERE binding = ? AND ceremony = ? RETURNING *',
  );
  const deleteUserAll = db.transaction((userId: string) => {
    deleteUserChallenges.run(userId);
    return Number(deleteUserPasskeys.run(userId).changes);
  });

  return {
    listPasskeys: (userId) => listPasskeys.all(userId).map(toPasskey),
    countPasskeysByUser: () => new Map(countPasskeys.all().map((row) => [row.user_id, row.count])),
    findPasskey: (credentialId) => {
      const row = isStorableText(credentialId) ? findPasskey.get(credentialId) : undefined;
      return row === undefined ? undefined : toPasskey(row);
    },
    insertPasskey: (passkey) => {
      insertPasskey.run({
        ...passkey,
        publicKey: Buffer.from(passkey.publicKey),
        transports: JSON.stringify(passkey.transports),
        backedUp: passkey.backedUp ? 1 : 0,
      });
    },
    recordPasskeyUse: (credentialId, use) =>
      recordUse.run({
        credentialId,
        counter: use.counter,
        previousCounter: use.previousCounter,
        deviceType: use.deviceType,
        backedUp: use.backedUp ? 1 : 0,
        at: use.at,
      }).changes === 1,
    deletePasskey: (userId, credentialId) => deletePasskey.run(userId, credentialId).changes === 1,
    deleteUserPasskeys: (userId) => deleteUserAll.immediate(userId),
    passkeyUserHandle: (userId, candidate) => {
      insertHandle.run(userId, candidate);
      return findHandle.get(userId)?.handle ?? candidate;
    },
    issueChallenge: (challenge: WebAuthnChallenge) => {
      issueChallenge.run({ ...challenge });
    },
    takeChallenge: (binding, ceremony, now) => {
      const row = isStorableText(binding) ? takeChallenge.get(binding, ceremony) : undefined;
      if (row === undefined || row.expires_at <= now) return undefined;
      return {
        binding: row.binding,
        ceremony: row.ceremony,
        challenge: row.challenge,
        userId: row.user_id,
        expiresAt: row.expires_at,
      };
    },
  };
}
