import type { Migration } from '@ema/storage';
import { signInFailuresMigration } from './sqlite-sign-in-failures.js';

// Ids start at 100 so they never collide with the shared migrations of @ema/oauth-server (signing keys, audit).
const directory: Migration = {
  id: 100,
  name: 'idp-directory',
  sql: `
    CREATE TABLE users (
      id TEXT PRIMARY KEY,
      username TEXT NOT NULL UNIQUE,
      password_hash TEXT NOT NULL,
      name TEXT NOT NULL,
      email TEXT NOT NULL,
      disabled INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL
    );
    CREATE TABLE groups (
      name TEXT PRIMARY KEY,
      description TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE group_members (
      group_name TEXT NOT NULL REFERENCES groups(name) ON DELETE CASCADE,
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      PRIMARY KEY (group_name, user_id)
    );
    CREATE INDEX group_members_user ON group_members(user_id);
    CREATE TABLE clients (
      client_id TEXT PRIMARY KEY,
      secret_hash TEXT,
      name TEXT NOT NULL,
      redirect_uris TEXT NOT NULL,
      post_logout_redirect_uris TEXT NOT NULL,
      may_request_id_jag INTEGER NOT NULL,
      ras_client_ids TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
    CREATE TABLE resources (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      audience TEXT NOT NULL,
      resource TEXT NOT NULL UNIQUE,
      scopes TEXT NOT NULL
    );
    CREATE TABLE policy_rules (
      id TEXT PRIMARY KEY,
      description TEXT NOT NULL,
      effect TEXT NOT NULL CHECK (effect IN ('allow', 'deny')),
      subject_type TEXT NOT NULL CHECK (subject_type IN ('user', 'group')),
      subject TEXT NOT NULL,
      client_id TEXT,
      resource_id TEXT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
      scopes TEXT NOT NULL,
      max_auth_age_seconds INTEGER,
      required_amr TEXT,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX policy_rules_resource ON policy_rules(resource_id);
    CREATE TABLE seed_runs (
      name TEXT PRIMARY KEY,
      applied_at INTEGER NOT NULL
    );
  `,
};

const tokens: Migration = {
  id: 101,
  name: 'idp-sessions-and-tokens',
  sql: `
    CREATE TABLE sessions (
      id TEXT PRIMARY KEY,
      token_hash TEXT NOT NULL UNIQUE,
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      auth_time INTEGER NOT NULL,
      amr TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      ended_at INTEGER
    );
    CREATE TABLE grants (
      id TEXT PRIMARY KEY,
      client_id TEXT NOT NULL,
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      scope TEXT NOT NULL,
      session_id TEXT,
      auth_time INTEGER NOT NULL,
      amr TEXT NOT NULL,
      nonce TEXT,
      created_at INTEGER NOT NULL,
      revoked_at INTEGER,
      revoked_reason TEXT
    );
    CREATE TABLE authorization_codes (
      code_hash TEXT PRIMARY KEY,
      grant_id TEXT NOT NULL REFERENCES grants(id) ON DELETE CASCADE,
      client_id TEXT NOT NULL,
      redirect_uri TEXT NOT NULL,
      code_challenge TEXT NOT NULL,
      expires_at INTEGER NOT NULL,
      consumed_at INTEGER
    );
    CREATE TABLE refresh_tokens (
      token_hash TEXT PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      grant_id TEXT NOT NULL REFERENCES grants(id) ON DELETE CASCADE,
      client_id TEXT NOT NULL,
      scope TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      rotated_at INTEGER
    );
    CREATE INDEX refresh_tokens_grant ON refresh_tokens(grant_id);
    CREATE TABLE access_tokens (
      token_hash TEXT PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      grant_id TEXT NOT NULL REFERENCES grants(id) ON DELETE CASCADE,
      client_id TEXT NOT NULL,
      scope TEXT NOT NULL,
      expires_at INTEGER NOT NULL
    );
  `,
};

// RFC 6749 §4.1.2 / RFC 9700 §4.14.2: ID tokens are self-contained, so revoking a grant cannot reach them unless
// each one is recorded. The exchange looks a row up by jti (primary key); the other indexes serve revocation by
// grant or by user and the purge of expired rows. Rows cascade away with their grant (and so with their user).
const idTokens: Migration = {
  id: 102,
  name: 'idp-id-tokens',
  sql: `
    CREATE TABLE id_tokens (
      jti TEXT PRIMARY KEY,
      grant_id TEXT NOT NULL REFERENCES grants(id) ON DELETE CASCADE,
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      expires_at INTEGER NOT NULL,
      revoked_at INTEGER,
      revoked_reason TEXT
    ) WITHOUT ROWID;
    CREATE INDEX id_tokens_grant ON id_tokens(grant_id);
    CREATE INDEX id_tokens_user ON id_tokens(user_id);
    CREATE INDEX id_tokens_expires ON id_tokens(expires_at);
  `,
};

// Disabling or deleting a user revokes all their grants and ends their SSO sessions: one UPDATE each by user, so
// both need an index on user_id (they also serve the ON DELETE CASCADE from users, which otherwise scans).
// Users disabled before this migration kept live grants and sessions that re-enabling would revive: revoke them
// now, as disabling them today would. The time is each store's own clock in epoch seconds, as this migration has
// always written it (`strftime` is SQLite's; PostgreSQL reads its clock with `now()`).
const userRevocation: Migration = {
  id: 103,
  name: 'idp-revoke-on-disable',
  postgres: `
    CREATE INDEX grants_user ON grants(user_id);
    CREATE INDEX sessions_user ON sessions(user_id);
    UPDATE grants SET revoked_at = CAST(EXTRACT(EPOCH FROM now()) AS BIGINT), revoked_reason = 'user disabled'
      WHERE revoked_at IS NULL AND user_id IN (SELECT id FROM users WHERE disabled = 1);
    UPDATE id_tokens SET revoked_at = CAST(EXTRACT(EPOCH FROM now()) AS BIGINT), revoked_reason = 'user disabled'
      WHERE revoked_at IS NULL AND user_id IN (SELECT id FROM users WHERE disabled = 1);
    UPDATE sessions SET ended_at = CAST(EXTRACT(EPOCH FROM now()) AS BIGINT)
      WHERE ended_at IS NULL AND user_id IN (SELECT id FROM users WHERE disabled = 1);
  `,
  sql: `
    CREATE INDEX grants_user ON grants(user_id);
    CREATE INDEX sessions_user ON sessions(user_id);
    UPDATE grants SET revoked_at = CAST(strftime('%s', 'now') AS INTEGER), revoked_reason = 'user disabled'
      WHERE revoked_at IS NULL AND user_id IN (SELECT id FROM users WHERE disabled = 1);
    UPDATE id_tokens SET revoked_at = CAST(strftime('%s', 'now') AS INTEGER), revoked_reason = 'user disabled'
      WHERE revoked_at IS NULL AND user_id IN (SELECT id FROM users WHERE disabled = 1);
    UPDATE sessions SET ended_at = CAST(strftime('%s', 'now') AS INTEGER)
      WHERE ended_at IS NULL AND user_id IN (SELECT id FROM users WHERE disabled = 1);
  `,
};

// Passkeys (WebAuthn L3 §7.1: a credential id is registered for one user only), the challenges of their
// ceremonies (one live challenge per binding and ceremony, taken once: §13.4.3), and the pending sign-ins the
// sign-in pages work for (their forms carry only the id). Expired challenges and requests are purged as new ones
// are made.
const passkeys: Migration = {
  id: 104,
  name: 'idp-passkeys-and-sign-in-requests',
  sql: `
    CREATE TABLE passkeys (
      credential_id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      user_handle TEXT NOT NULL,
      public_key BLOB NOT NULL,
      counter INTEGER NOT NULL,
      transports TEXT NOT NULL,
      device_type TEXT NOT NULL CHECK (device_type IN ('singleDevice', 'multiDevice')),
      backed_up INTEGER NOT NULL,
      name TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      last_used_at INTEGER
    ) WITHOUT ROWID;
    CREATE INDEX passkeys_user ON passkeys(user_id);
    CREATE TABLE passkey_user_handles (
      user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
      handle TEXT NOT NULL UNIQUE
    ) WITHOUT ROWID;
    CREATE TABLE webauthn_challenges (
      binding TEXT NOT NULL,
      ceremony TEXT NOT NULL CHECK (ceremony IN ('registration', 'authentication')),
      challenge TEXT NOT NULL,
      user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
      expires_at INTEGER NOT NULL,
      PRIMARY KEY (binding, ceremony)
    ) WITHOUT ROWID;
    CREATE INDEX webauthn_challenges_user ON webauthn_challenges(user_id);
    CREATE TABLE sign_in_requests (
      id TEXT PRIMARY KEY,
      target TEXT NOT NULL,
      requirement TEXT NOT NULL,
      session_id TEXT,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX sign_in_requests_expires ON sign_in_requests(expires_at);
  `,
};

/** The IdP's own schema, applied after the shared migrations by `openDatabase` or `openPostgresDatabase`. */
export const idpMigrations: readonly Migration[] = [
  directory,
  tokens,
  idTokens,
  userRevocation,
  passkeys,
  signInFailuresMigration,
];
