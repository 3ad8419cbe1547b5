import type { SessionOwner } from '@ema/resource-server';
import type { StreamableHttpTransport } from './streamable-http-transport.js';

/** One live MCP session: its transport (and server) plus the user and client it belongs to. */
export interface McpSession {
  id: string;
  owner: SessionOwner;
  transport: StreamableHttpTransport;
  /** Closes the transport and the MCP server behind it. */
  close(): Promise<void>;
}

interface Entry {
  session: McpSession;
  lastUsedAt: number;
}

/** Why a session is closed by the server. */
export type EvictionReason = 'idle' | 'subject_limit' | 'client_limit' | 'capacity' | 'revoked';

/** Bounds of the in-memory session table. */
export interface SessionRegistryOptions {
  /** Live sessions in all: the last bound, never met by closing another subject's session. */
  maxSessions: number;
  /** Live sessions of one subject (`iss`, `sub`), through any client. */
  maxSessionsPerSubject: number;
  /** Live sessions of one client (`client_id`), for all its users. */
  maxSessionsPerClient: number;
  idleTimeoutMs: number;
  now?: () => number;
  /** Told about every session closed by a limit or by idleness (for logs). */
  onEvict?: (session: McpSession, reason: EvictionReason) => void;
}

/**
 * The answer to a request for a new session: a place to register it (held until {@link complete} or {@link cancel}),
 * or a refusal with the seconds after which a place may have freed up.
 */
export type SessionAdmission =
  | { admitted: true; complete(session: McpSession): void; cancel(): void }
  | { admitted: false; reason: 'subject_limit' | 'client_limit' | 'capacity'; retryAfterSeconds: number };

const subjectKey = (owner: SessionOwner): string => `${owner.issuer}\n${owner.subject}`;
const clientKey = (owner: SessionOwner): string => `${owner.issuer}\n${owner.clientId}`;

/**
 * The sessions of this server, in memory, keyed by their `Mcp-Session-Id`, bounded per subject, per client and in
 * all. A new session may take the place of its own subject's least recently used session (that client gets 404 on
 * its next request and, per the Streamable HTTP transport, starts a new session), never of another subject's: when
 * only another subject's session could make room, the new session is refused instead. Sessions unused for
 * `idleTimeoutMs` are closed.
 */
export class SessionRegistry {
  // A Map iterates in insertion order; touching re-inserts, so the first entry is the least recently used.
  readonly #entries = new Map<string, Entry>();
  // Live and admitted-but-not-yet-registered sessions per subject and per client.
  readonly #perSubject = new Map<string, number>();
  readonly #perClient = new Map<string, number>();
  #pending = 0;
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

  /**
   * Decides whether `owner` may open a new session, before it is created; the session must be registered with
   * `complete` under the same owner. Closes idle sessions first; then, for
   * each limit reached, the least recently used session that is the owner's own (of the same client for the client
   * limit, of the same subject for the others). When a limit is still reached, refuses.
   */
  admit(owner: SessionOwner): SessionAdmission {
    this.sweep();
    const subject = subjectKey(owner);
    const client = clientKey(owner);
    for (;;) {
      const refusal = this.#limitReached(subject, client);
      if (refusal === undefined) break;
      const own = this.#leastRecentlyUsed((session) =>
        refusal === 'client_limit'
          ? clientKey(session.owner) === client && subjectKey(session.owner) === subject
          : subjectKey(session.owner) === subject,
      );
      if (own === undefined)
        return { admitted: false, reason: refusal, retryAfterSeconds: this.#retryAfter(refusal, client) };
      this.#evict(own.session, refusal);
    }
    // The place is held from now on, so concurrent initialize requests cannot overshoot a limit together.
    this.#count(subject, client, 1);
    this.#pending += 1;
    let held = true;
    return {
      admitted: true,
      complete: (session) => {
        if (!held) return;
        held = false;
        this.#pending -= 1;
        this.#entries.set(session.id, { session, lastUsedAt: this.#now() });
      },
      cancel: () => {
        if (!held) return;
        held = false;
        this.#pending -= 1;
        this.#count(subject, client, -1);
      },
    };
  }

  /** Forgets a session (called when its transport closed). Does not close it. */
  remove(id: string): void {
    const entry = this.#entries.get(id);
    if (entry === undefined) return;
    this.#entries.delete(id);
    this.#count(subjectKey(entry.session.owner), clientKey(entry.session.owner), -1);
  }

  /** Closes every session idle for longer than the timeout. */
  sweep(): void {
    const cutoff = this.#now() - this.#options.idleTimeoutMs;
    // The entries are in order of last use: the idle ones are a prefix, so stop at the first one in use. Every new
    // session sweeps first, and a scan of all of them each time would make opening n sessions cost n².
    const idle: McpSession[] = [];
    for (const { session, lastUsedAt } of this.#entries.values()) {
      if (lastUsedAt > cutoff) break;
      idle.push(session);
    }
    for (const session of idle) this.#evict(session, 'idle');
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
    this.#perSubject.clear();
    this.#perClient.clear();
    await Promise.allSettled(sessions.map((session) => session.close()));
  }

  #limitReached(subject: string, client: string): 'subject_limit' | 'client_limit' | 'capacity' | undefined {
    if ((this.#perClient.get(client) ?? 0) >= this.#options.maxSessionsPerClient) return 'client_limit';
    if ((this.#perSubject.get(subject) ?? 0) >= this.#options.maxSessionsPerSubject) return 'subject_limit';
    if (this.#entries.size + this.#pending >= this.#options.maxSessions) return 'capacity';
    return undefined;
  }

  #leastRecentlyUsed(matches: (session: McpSession) => boolean): Entry | undefined {
    for (const entry of this.#entries.values()) if (matches(entry.session)) return entry;
    return undefined;
  }

  // The time until the least recently used session that holds the limit goes idle: the latest a place frees up
  // without anyone closing a session. A subject refused at its own limit holds only places still being opened.
  #retryAfter(reason: 'subject_limit' | 'client_limit' | 'capacity', client: string): number {
    const oldest =
      reason === 'client_limit'
        ? this.#leastRecentlyUsed((session) => clientKey(session.owner) === client)
        : reason === 'capacity'
          ? this.#entries.values().next().value
          : undefined;
    const idleAt = oldest === undefined ? 0 : oldest.lastUsedAt + this.#options.idleTimeoutMs;
    return Math.max(1, Math.ceil((idleAt - this.#now()) / 1000));
  }

  #count(subject: string, client: string, delta: 1 | -1): void {
    bump(this.#perSubject, subject, delta);
    bump(this.#perClient, client, delta);
  }

  #evict(session: McpSession, reason: EvictionReason): void {
    this.remove(session.id);
    this.#options.onEvict?.(session, reason);
    void session.close().catch(() => undefined);
  }
}

function bump(counts: Map<string, number>, key: string, delta: 1 | -1): void {
  const next = (counts.get(key) ?? 0) + delta;
  if (next <= 0) counts.delete(key);
  else counts.set(key, next);
}
