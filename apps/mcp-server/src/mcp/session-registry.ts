import type { SessionOwner } from '@ema/resource-server';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

/** One live MCP session: its transport (and server) plus the user and client it belongs to. */
export interface McpSession {
  id: string;
  owner: SessionOwner;
  transport: StreamableHTTPServerTransport;
  /** Closes the transport and the MCP server behind it. */
  close(): Promise<void>;
}

interface Entry {
  session: McpSession;
  lastUsedAt: number;
}

/** Bounds of the in-memory session table. */
export interface SessionRegistryOptions {
  maxSessions: number;
  idleTimeoutMs: number;
  now?: () => number;
  /** Told about every session closed by eviction or idleness (for logs). */
  onEvict?: (session: McpSession, reason: 'idle' | 'capacity' | 'revoked') => void;
}

/**
 * The sessions of this server, in memory, keyed by their `Mcp-Session-Id`. Bounded: a session unused for
 * `idleTimeoutMs` is closed, and when the table is full the least recently used session makes room (its client gets
 * 404 on its next request and, per the Streamable HTTP transport, starts a new session).
 */
export class SessionRegistry {
  // A Map iterates in insertion order; touching re-inserts, so the first entry is the least recently used.
  readonly #entries = new Map<string, Entry>();
  readonly #options: SessionRegistryOptions;
  readonly #now: () => number;

  /** Creates an empty registry. */
  constructor(options: SessionRegistryOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** The number of live sessions. */
  get size(): number {
    return this.#entries.size;
  }

  /** Looks a session up and marks it used. */
  use(id: string): McpSession | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    this.#entries.delete(id);
    entry.lastUsedAt = this.#now();
    this.#entries.set(id, entry);
    return entry.session;
  }

  /** Adds a new session, first closing idle ones and, when still full, the least recently used one. */
  add(session: McpSession): void {
    this.sweep();
    while (this.#entries.size >= this.#options.maxSessions) {
      const oldest = this.#entries.values().next().value;
      if (oldest === undefined) break;
      this.#evict(oldest.session, 'capacity');
    }
    this.#entries.set(session.id, { session, lastUsedAt: this.#now() });
  }

  /** Forgets a session (called when its transport closed). Does not close it. */
  remove(id: string): void {
    this.#entries.delete(id);
  }

  /** Closes every session idle for longer than the timeout. */
  sweep(): void {
    const cutoff = this.#now() - this.#options.idleTimeoutMs;
    for (const { session, lastUsedAt } of [...this.#entries.values()]) {
      if (lastUsedAt <= cutoff) this.#evict(session, 'idle');
    }
  }

  /**
   * Closes every session of one user (their access was revoked: a Security Event from the authorization server).
   * Their clients get 404 on the session and must start anew, with a token the revocation does not cover. Returns
   * how many were closed.
   */
  closeOwnedBy(issuer: string, subject: string): number {
    let closed = 0;
    for (const { session } of [...this.#entries.values()]) {
      if (session.owner.issuer !== issuer || session.owner.subject !== subject) continue;
      this.#evict(session, 'revoked');
      closed += 1;
    }
    return closed;
  }

  /** Closes all sessions (server shutdown). */
  async closeAll(): Promise<void> {
    const sessions = [...this.#entries.values()].map((entry) => entry.session);
    this.#entries.clear();
    await Promise.allSettled(sessions.map((session) => session.close()));
  }

  #evict(session: McpSession, reason: 'idle' | 'capacity' | 'revoked'): void {
    this.#entries.delete(session.id);
    this.#options.onEvict?.(session, reason);
    void session.close().catch(() => undefined);
  }
}
