import type { SqlDatabase } from '@ema/storage';
import type { SignInRequestStorage } from '../idp-storage.js';
import type { SignInRequirement, SignInTarget } from '../sign-in-types.js';
import { readStringRecord } from './json-columns.js';
import { isStorableText } from './text-keys.js';

interface RequestRow {
  id: string;
  target: string;
  requirement: string;
  session_id: string | null;
  created_at: number;
  expires_at: number;
}

function readTarget(value: string): SignInTarget {
  const parsed: unknown = JSON.parse(value);
  if (typeof parsed === 'object' && parsed !== null && 'path' in parsed && typeof parsed.path === 'string') {
    return { kind: 'return', path: parsed.path };
  }
  const parameters =
    typeof parsed === 'object' && parsed !== null && 'parameters' in parsed
      ? readStringRecord(JSON.stringify(parsed.parameters))
      : {};
  return { kind: 'authorization', parameters };
}

function readRequirement(value: string): SignInRequirement {
  const parsed: unknown = JSON.parse(value);
  const field = (name: string): unknown =>
    typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)[name] : undefined;
  const acr = field('acr');
  const maxAgeSeconds = field('maxAgeSeconds');
  return {
    acr: typeof acr === 'string' ? acr : null,
    maxAgeSeconds: typeof maxAgeSeconds === 'number' ? maxAgeSeconds : null,
    reauthenticate: field('reauthenticate') === true,
  };
}

/** Pending sign-ins (migration 104, either store); expired ones (and expired WebAuthn challenges) are purged. */
export function createSqliteSignInRequestStorage(db: SqlDatabase): SignInRequestStorage {
  const insert = db.prepare(
    `INSERT INTO sign_in_requests (id, target, requirement, session_id, created_at, expires_at)
     VALUES (@id, @target, @requirement, @sessionId, @createdAt, @expiresAt)`,
  );
  const find = db.prepare<[string, number], RequestRow>(
    'SELECT * FROM sign_in_requests WHERE id = ? AND expires_at > ?',
  );
  const setSession = db.prepare<[string, string]>('UPDATE sign_in_requests SET session_id = ? WHERE id = ?');
  const remove = db.prepare<[string]>('DELETE FROM sign_in_requests WHERE id = ?');
  const purgeRequests = db.prepare<[number]>('DELETE FROM sign_in_requests WHERE expires_at < ?');
  const purgeChallenges = db.prepare<[number]>('DELETE FROM webauthn_challenges WHERE expires_at < ?');
  const purge = db.transaction((before: number) => {
    purgeChallenges.run(before);
    return Number(purgeRequests.run(before).changes);
  });
  return {
    insertSignInRequest: (request) => {
      const target =
        request.target.kind === 'return' ? { path: request.target.path } : { parameters: request.target.parameters };
      insert.run({
        id: request.id,
        target: JSON.stringify(target),
        requirement: JSON.stringify(request.requirement),
        sessionId: request.sessionId,
        createdAt: request.createdAt,
        expiresAt: request.expiresAt,
      });
    },
    findSignInRequest: (id, now) => {
      const row = isStorableText(id) ? find.get(id, now) : undefined;
      if (row === undefined) return undefined;
      return {
        id: row.id,
        target: readTarget(row.target),
        requirement: readRequirement(row.requirement),
        sessionId: row.session_id,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
      };
    },
    setSignInRequestSession: (id, sessionId) => {
      setSession.run(sessionId, id);
    },
    deleteSignInRequest: (id) => remove.run(id).changes === 1,
    purgeSignInRequests: (before) => purge.immediate(before),
  };
}
