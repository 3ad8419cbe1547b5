import { STORES } from '@ema/store-testing';
import { describe, expect, it } from 'vitest';
import { ticketMigrations } from '../../src/tickets/migrations.js';
import { createSqliteTicketStore } from '../../src/tickets/sqlite-ticket-store.js';

describe.each(STORES)('createSqliteTicketStore on $name', ({ open }) => {
  const now = () => Date.UTC(2026, 0, 15, 12);
  const store = async () => createSqliteTicketStore((await open(ticketMigrations)).connect(), now);

  it('[MCP-PG-STORES] starts with the five demo tickets', async () => {
    const tickets = (await store()).list({ limit: 100 });
    expect(tickets.map((ticket) => ticket.id)).toStrictEqual([1, 2, 3, 4, 5]);
    expect(tickets[0]).toStrictEqual({
      id: 1,
      title: 'VPN drops every 30 minutes',
      description: 'Since the client update the VPN disconnects roughly every half hour.',
      status: 'open',
      priority: 'high',
      reporter: 'bob@acme.example',
      assignee: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
  });

  it('filters by status and honours the limit', async () => {
    const tickets = await store();
    expect(tickets.list({ status: 'open', limit: 100 }).map((ticket) => ticket.id)).toStrictEqual([1, 3]);
    expect(tickets.list({ limit: 2 })).toHaveLength(2);
  });

  it('creates open, unassigned tickets stamped with the clock', async () => {
    const created = (await store()).create({ title: 'T', description: 'D', priority: 'low', reporter: 'alice' });
    expect(created).toStrictEqual({
      id: 6,
      title: 'T',
      description: 'D',
      status: 'open',
      priority: 'low',
      reporter: 'alice',
      assignee: null,
      createdAt: '2026-01-15T12:00:00.000Z',
      updatedAt: '2026-01-15T12:00:00.000Z',
    });
  });

  it('updates only the given fields, unassigns with null, and answers undefined for an unknown id', async () => {
    const tickets = await store();
    expect(tickets.update(2, { priority: 'urgent' })).toMatchObject({
      status: 'in_progress',
      priority: 'urgent',
      assignee: 'admin@acme.example',
      updatedAt: '2026-01-15T12:00:00.000Z',
    });
    expect(tickets.update(2, { assignee: null })?.assignee).toBeNull();
    expect(tickets.update(2, { status: 'resolved' })).toMatchObject({ status: 'resolved', priority: 'urgent' });
    expect(tickets.update(99, { status: 'closed' })).toBeUndefined();
    expect(tickets.find(99)).toBeUndefined();
  });
});

describe.each(STORES)('tickets shared by two instances on $name', ({ open }) => {
  it('[MCP-PG-STORES] a ticket created through one connection is read and updated through the other; ids never repeat', async () => {
    const opened = await open(ticketMigrations);
    const one = createSqliteTicketStore(opened.connect());
    const other = createSqliteTicketStore(opened.connect());
    const created = [one.create({ title: 'A', description: 'a', priority: 'low', reporter: 'alice' })];
    created.push(other.create({ title: 'B', description: 'b', priority: 'high', reporter: 'bob' }));
    expect(created.map((ticket) => ticket.id)).toStrictEqual([6, 7]);
    expect(other.find(6)?.title).toBe('A');
    expect(other.update(6, { status: 'closed' })?.status).toBe('closed');
    expect(one.list({ status: 'closed', limit: 10 }).map((ticket) => ticket.id)).toStrictEqual([5, 6]);
  });
});
