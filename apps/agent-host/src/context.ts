/** What the routes share: configuration, sessions, the IdP client and the EMA client. */

import { chooseSubjectToken, type EmaClient, type EmaUser } from '@ema/ema-client';
import type { AgentHostConfig, McpServerEntry } from './config.js';
import type { IdpClient } from './oidc/idp-client.js';
import type { PageUser } from './pages/layout.js';
import type { AgentSession, SessionStore } from './storage/session-store.js';

/** See the module comment. */
export interface AgentHostContext {
  config: AgentHostConfig;
  sessions: SessionStore;
  idp: IdpClient;
  ema: EmaClient;
  now: () => number;
}

/** The catalog entry with this id. */
export function findServer(context: AgentHostContext, id: string): McpServerEntry | undefined {
  return context.config.servers.find((server) => server.id === id);
}

/** The EMA user of a session: its key and its subject token (ID token, then the refresh token once too old). */
export function emaUser(context: AgentHostContext, session: AgentSession): EmaUser {
  return {
    key: session.userKey,
    subjectToken: async () =>
      chooseSubjectToken(
        { idToken: session.idToken, idTokenExpiresAt: session.idTokenExpiresAt, refreshToken: session.refreshToken },
        context.now(),
      ),
  };
}

/** The header's view of the signed-in user. */
export function pageUser(session: AgentSession): PageUser {
  return { name: session.name ?? session.email ?? session.subject, csrfToken: session.csrfToken };
}
