import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { describe, expect, it, vi } from 'vitest';
import { type McpSession, SessionRegistry } from '../../src/mcp/session-registry.js';

function session(id: string): McpSession & { close: ReturnType<typeof vi.fn> } {
  return {
    id,
    owner: { issuer: 'http://localhost:3200', subject: id, clientId: 'c' },
    transport: {} as StreamableHTTPServerTransport,
    close: vi.fn(async () => undefined),
  };
}

describe('SessionRegistry', () => {
  it('evicts the least recently used session when full', () => {
    const onEvict = vi.fn();
    const registry = new SessionRegistry({ maxSessions: 2, idleTimeoutMs: 60_000, onEvict });
    const [a, b, c] = [session('a'), session('b'), session('c')];
    registry.add(a);
    registry.add(b);
    registry.use('a');
    registry.add(c);
    expect(registry.size).toBe(2);
    expect(registry.use('b')).toBeUndefined();
    expect(b.close).toHaveBeenCalledOnce();
    expect(onEvict).toHaveBeenCalledWith(b, 'capacity');
    expect(registry.use('a')).toBe(a);
    expect(registry.use('c')).toBe(c);
  });

  it('closes sessions idle for longer than the timeout', () => {
    let now = 0;
    const registry = new SessionRegistry({ maxSessions: 10, idleTimeoutMs: 1000, now: () => now });
    const [a, b] = [session('a'), session('b')];
    registry.add(a);
    now = 600;
    registry.add(b);
    now = 1200;
    registry.sweep();
    expect(a.close).toHaveBeenCalledOnce();
    expect(registry.use('a')).toBeUndefined();
    expect(registry.use('b')).toBe(b);
  });

  it('forgets removed sessions and closes all on shutdown', async () => {
    const registry = new SessionRegistry({ maxSessions: 10, idleTimeoutMs: 1000 });
    const [a, b] = [session('a'), session('b')];
    registry.add(a);
    registry.add(b);
    registry.remove('a');
    await registry.closeAll();
    expect(a.close).not.toHaveBeenCalled();
    expect(b.close).toHaveBeenCalledOnce();
    expect(registry.size).toBe(0);
  });
});
