import type { Migration } from '@ema/storage';

/**
 * The agent host's tables. Session ids and login-attempt ids are stored as SHA-256 hashes (a copy of the database
 * does not yield live cookies); the IdP tokens and the PKCE verifier are sealed (AES-256-GCM).
 */
export const agentHostMigrations: readonly Migration[] = [
  {
    id: 1,
    name: 'sessions, login attempts, server views',
    sql: `
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  user_key TEXT NOT NULL,
  subject TEXT NOT NULL,
  name TEXT,
  email TEXT,
  id_token_sealed TEXT NOT NULL,
  id_token_expires_at INTEGER NOT NULL,
  refresh_token_sealed TEXT,
  csrf_token TEXT NOT NULL,
  last_flow TEXT
);
CREATE TABLE login_attempts (
  id_hash TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  nonce TEXT NOT NULL,
  code_verifier_sealed TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE TABLE server_views (
  session_id_hash TEXT NOT NULL REFERENCES sessions(id_hash) ON DELETE CASCADE,
  server_id TEXT NOT NULL,
  view TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (session_id_hash, server_id)
);`,
  },
  {
    id: 2,
    name: 'sessions without a stored CSRF token',
    // The CSRF token is derived from the session cookie's secret (`@ema/html`), so nothing is stored for it.
    sql: 'ALTER TABLE sessions DROP COLUMN csrf_token;',
  },
  {
    id: 3,
    name: 'step-up sign-ins',
    // A step-up sign-in remembers, sealed, the session it is for and the action to try again (tool arguments).
    sql: 'ALTER TABLE login_attempts ADD COLUMN step_up_sealed TEXT;',
  },
  {
    id: 4,
    name: 'DPoP keys',
    // RFC 9449: one key per connection (user, MCP server), its private JWK sealed like the IdP tokens.
    sql: `CREATE TABLE dpop_keys (
  user_key TEXT NOT NULL,
  server_url TEXT NOT NULL,
  private_jwk_sealed TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_key, server_url)
);`,
  },
];
