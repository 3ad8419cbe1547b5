/**
 * The tables of the interactive path. Codes, refresh tokens and browser secrets are stored as SHA-256 hashes only.
 */
import type { Migration } from '@ema/storage';

/** Migration 103: clients registered dynamically or by metadata document, pending requests, grants and their tokens. */
export const interactiveMigrations: readonly Migration[] = [
  {
    id: 103,
    name: 'ras-interactive-path',
    sql: `
      -- RFC 7591 registrations and Client ID Metadata Documents (the last accepted copy and until when it is fresh).
      CREATE TABLE interactive_clients (
        client_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('dynamic', 'metadata_document')),
        secret_hash TEXT,
        metadata TEXT NOT NULL,
        fresh_until INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      -- An authorization request between the client's redirect and the user's consent, bound to one browser.
      CREATE TABLE pending_authorizations (
        request_id TEXT PRIMARY KEY,
        browser_hash TEXT NOT NULL,
        idp_state TEXT NOT NULL UNIQUE,
        request TEXT NOT NULL,
        sign_in TEXT NOT NULL,
        decision TEXT,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX pending_authorizations_expires ON pending_authorizations (expires_at);
      -- One user's authorization of one client at one resource: the family of its code and tokens.
      CREATE TABLE authorization_grants (
        grant_id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        account_id TEXT NOT NULL REFERENCES subjects (account_id) ON DELETE CASCADE,
        resource TEXT NOT NULL,
        scope TEXT NOT NULL,
        -- Quoted: a reserved word in PostgreSQL (the same column to SQLite, so databases made before read alike).
        "authorization" TEXT NOT NULL,
        idp_refresh_token TEXT,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER,
        revoked_reason TEXT
      );
      CREATE INDEX authorization_grants_client ON authorization_grants (client_id);
      CREATE TABLE authorization_codes (
        code_hash TEXT PRIMARY KEY,
        grant_id TEXT NOT NULL REFERENCES authorization_grants (grant_id) ON DELETE CASCADE,
        redirect_uri TEXT NOT NULL,
        code_challenge TEXT NOT NULL,
        issue_refresh_token INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        consumed_at INTEGER
      ) WITHOUT ROWID;
      CREATE TABLE refresh_tokens (
        token_hash TEXT PRIMARY KEY,
        grant_id TEXT NOT NULL REFERENCES authorization_grants (grant_id) ON DELETE CASCADE,
        expires_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        rotated_at INTEGER
      ) WITHOUT ROWID;
      CREATE INDEX refresh_tokens_grant ON refresh_tokens (grant_id);
      -- The access tokens issued from each grant, so revoking the grant revokes them (RFC 6749 §4.1.2).
      CREATE TABLE grant_access_tokens (
        jti TEXT PRIMARY KEY,
        grant_id TEXT NOT NULL REFERENCES authorization_grants (grant_id) ON DELETE CASCADE,
        client_id TEXT NOT NULL,
        exp INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX grant_access_tokens_grant ON grant_access_tokens (grant_id);
    `,
  },
];
