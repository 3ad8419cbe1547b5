import { describe, expect, it, vi } from 'vitest';
import { type McpSession, SessionRegistry, type SessionRegistryOptions } from '../../src/mcp/session-registry.js';
import type { StreamableHttpTransport } from '../../src/mcp/streamable-http-transport.js';

type TestSession = McpSession & { close: ReturnType<typeof vi.fn> };

function session(id: string, subject = id, clientId = 'c'): TestSession {
  return {
    id,
    owner: { issuer: 'http://localhost:3200', subject, clientId },
    transport: {} as StreamableHttpTransport,
    close: vi.fn(async () => undefined),
  };
}

function registry(options: Partial<SessionRegistryOptions> = {}): SessionRegistry {
  return new SessionRegistry({
    maxSessions: 100,
    maxSessionsPerSubject: 100,
    maxSessionsPerClient: 100,
    idleTimeoutMs: 60_000,
    ...options,
  });
}

/** Admits and registers `added`; fails the test when refused. */
function add(target: SessionRegistry, added: TestSession): void {
  const admission = target.admit(added.owner);
  if (!admission.admitted) throw new Error(`refused: ${admission.reason}`);
  admission.complete(added);
}

describe('SessionRegistry', () => {
  it('[MCP-SESSION-LIMIT-PER-SUBJECT] at its limit, a subject replaces its own least recently used session', () => {
    const onEvict = vi.fn();
    const sessions = registry({ maxSessionsPerSubject: 2, onEvict });
    const [a1, b, a2, a3] = [session('a1', 'a'), session('b'), session('a2', 'a'), session('a3', 'a')];
    add(sessions, a1);
    add(sessions, b);
    add(sessions, a2);
    sessions.use('a1');
    add(sessions, a3);
    expect(a2.close).toHaveBeenCalledOnce();
    expect(onEvict).toHaveBeenCalledWith(a2, 'subject_limit');
    expect(sessions.use('a2')).toBeUndefined();
    expect(sessions.use('a1')).toBe(a1);
    expect(sessions.use('b')).toBe(b);
    expect(b.close).not.toHaveBeenCalled();
  });

  it('[MCP-SESSION-LIMIT-PER-SUBJECT] at global capacity, closes only the newcomer’s own session, else refuses it', () => {
    let now = 0;
    const sessions = registry({ maxSessions: 2, idleTimeoutMs: 10_000, now: () => now });
    const [a, b, b2] = [session('a'), session('b'), session('b2', 'b')];
    add(sessions, a);
    now = 4_000;
    add(sessions, b);
    const refused = sessions.admit(session('c').owner);
    expect(refused).toEqual({ admitted: false, reason: 'capacity', retryAfterSeconds: 6 });
    add(sessions, b2);
    expect(b.close).toHaveBeenCalledOnce();
    expect(a.close).not.toHaveBeenCalled();
    expect(sessions.size).toBe(2);
  });

  it('[MCP-SESSION-LIMIT-PER-CLIENT] refuses a client at its limit unless the subject gives up its own session there', () => {
    const sessions = registry({ maxSessionsPerClient: 2 });
    const [a, b] = [session('a', 'alice', 'agent'), session('b', 'bob', 'agent')];
    add(sessions, a);
    add(sessions, b);
    const refused = sessions.admit({ issuer: 'http://localhost:3200', subject: 'mallory', clientId: 'agent' });
    expect(refused).toMatchObject({ admitted: false, reason: 'client_limit' });
    // alice's session through another client does not count; her session through `agent` makes room.
    add(sessions, session('a-other', 'alice', 'other'));
    add(sessions, session('a2', 'alice', 'agent'));
    expect(a.close).toHaveBeenCalledOnce();
    expect(b.close).not.toHaveBeenCalled();
    expect(sessions.use('a-other')).toBeDefined();
  });

  it('[MCP-SESSION-LIMIT-PER-CLIENT] counts admitted sessions that are still opening, and frees them on cancel', () => {
    const sessions = registry({ maxSessionsPerClient: 1 });
    const owner = session('x', 'alice', 'agent').owner;
    const first = sessions.admit(owner);
    expect(first.admitted).toBe(true);
    expect(sessions.admit({ ...owner, subject: 'bob' })).toMatchObject({ admitted: false, reason: 'client_limit' });
    if (first.admitted) first.cancel();
    expect(sessions.admit({ ...owner, subject: 'bob' }).admitted).toBe(true);
  });

  it('closes sessions idle for longer than the timeout', () => {
    let now = 0;
    const sessions = registry({ idleTimeoutMs: 1000, now: () => now });
    const [a, b] = [session('a'), session('b')];
    add(sessions, a);
    now = 600;
    add(sessions, b);
    now = 1200;
    sessions.sweep();
    expect(a.close).toHaveBeenCalledOnce();
    expect(sessions.use('a')).toBeUndefined();
    expect(sessions.use('b')).toBe(b);
  });

  it('forgets removed sessions and closes all on shutdown', async () => {
    const sessions = registry({ maxSessionsPerClient: 2 });
    const [a, b] = [session('a'), session('b')];
    add(sessions, a);
    add(sessions, b);
    sessions.remove('a');
    // The place `a` held is free again.
    add(sessions, session('c'));
    await sessions.closeAll();
    expect(a.close).not.toHaveBeenCalled();
    expect(b.close).toHaveBeenCalledOnce();
    expect(sessions.size).toBe(0);
  });
});
