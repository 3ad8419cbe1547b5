import { STORES } from '@ema/store-testing';
import { describe, expect, it } from 'vitest';
import { accountDisabled, createDeliveryLoop, type SsfStream, unsignedClaims } from '../../src/index.js';
import {
  createSqliteOutbox,
  createSqliteReceivedEvents,
  createSqliteStreamStorage,
  outboxMigration,
  receivedEventsMigration,
  streamsMigration,
} from '../../src/sqlite.js';
import { IDP, RAS } from '../support/keys.js';

const MIGRATIONS = [outboxMigration, receivedEventsMigration, streamsMigration];
const claims = (jti: string) =>
  unsignedClaims(accountDisabled({ user: { iss: IDP, sub: 'u' }, occurredAt: 1 }), {
    issuer: IDP,
    audience: RAS,
    jti,
    txn: jti,
  });

describe.each(STORES)('$name stores of @ema/shared-signals/sqlite', (store) => {
  const open = async () => (await store.open(MIGRATIONS)).connect();

  it('[SSF-DELIVERY-DURABLE] the outbox keeps entries in order until finished, with their attempts and claims', async () => {
    const outbox = createSqliteOutbox(await open());
    outbox.enqueue({ destination: 's1', jti: 'a', claims: claims('a'), createdAt: 100 });
    outbox.enqueue({ destination: 's1', jti: 'b', claims: claims('b'), createdAt: 101 });
    const [first, second] = outbox.pending(10);
    expect(first).toMatchObject({ destination: 's1', jti: 'a', attempts: 0, nextAttemptAt: 100, createdAt: 100 });
    expect(first?.claims).toEqual(claims('a'));
    outbox.retryLater(first?.id ?? 0, 1, 500, 'HTTP 503');
    outbox.finish(second?.id ?? 0, 'delivered', 200);
    expect(outbox.pending(10)).toMatchObject([{ jti: 'a', attempts: 1, nextAttemptAt: 500 }]);
    expect(outbox.pendingCount()).toBe(1);
    // Finishing is once: a late retry of a finished entry does not revive it.
    outbox.retryLater(second?.id ?? 0, 5, 900, 'late');
    expect(outbox.recent(5)).toMatchObject([
      { jti: 'b', status: 'delivered', finishedAt: 200 },
      { jti: 'a', status: 'pending' },
    ]);
    expect(outbox.purgeFinished(300)).toBe(1);
    expect(outbox.recent(5)).toHaveLength(1);
  });

  it('[SSF-DELIVERY-DURABLE] a jti enters the outbox once', async () => {
    const outbox = createSqliteOutbox(await open());
    outbox.enqueue({ destination: 's1', jti: 'a', claims: claims('a'), createdAt: 1 });
    expect(() => outbox.enqueue({ destination: 's2', jti: 'a', claims: claims('a'), createdAt: 1 })).toThrow();
  });

  it('[SSF-PG-OUTBOX-CLAIM] two outboxes on one database: exactly one claims an entry; its lease passing frees it', async () => {
    const shared = await store.open(MIGRATIONS);
    const [a, b] = [createSqliteOutbox(shared.connect()), createSqliteOutbox(shared.connect())];
    a.enqueue({ destination: 's1', jti: 'a', claims: claims('a'), createdAt: 100 });
    const [seenByA] = a.pending(10);
    const [seenByB] = b.pending(10);
    const id = seenByA?.id ?? 0;
    expect(seenByB?.id).toBe(id);
    // Both read nextAttemptAt = 100; both try to take it for an attempt.
    expect(a.claim(id, 5_000, seenByA?.nextAttemptAt ?? 0)).toBe(true);
    expect(b.claim(id, 5_000, seenByB?.nextAttemptAt ?? 0)).toBe(false);
    // The lease is what the other reads: a future nextAttemptAt that holds the destination back.
    expect(b.pending(10)).toMatchObject([{ id, nextAttemptAt: 5_000, attempts: 0 }]);
    // The claimer dies mid-push; once the lease passes, whoever reads it next takes it, and only one does.
    expect(b.claim(id, 10_000, 5_000)).toBe(true);
    expect(a.claim(id, 10_000, 5_000)).toBe(false);
    b.finish(id, 'delivered', 6_000);
    expect(a.claim(id, 20_000, 10_000)).toBe(false);
    expect(a.pendingCount()).toBe(0);
  });

  it('[SSF-PG-OUTBOX-CLAIM] two delivery loops on one outbox push every entry once, in order per destination', async () => {
    const shared = await store.open(MIGRATIONS);
    const [a, b] = [createSqliteOutbox(shared.connect()), createSqliteOutbox(shared.connect())];
    const now = Date.now();
    for (const jti of ['a1', 'a2', 'a3', 'a4'])
      a.enqueue({ destination: 's1', jti, claims: claims(jti), createdAt: now });
    for (const jti of ['b1', 'b2']) b.enqueue({ destination: 's2', jti, claims: claims(jti), createdAt: now });
    const pushed: string[] = [];
    const fetchImpl: typeof fetch = async (_url, init) => {
      pushed.push(String(init?.body));
      // Yield, so the other loop runs while this push is in flight.
      await new Promise((resolve) => setTimeout(resolve, 2));
      return new Response(null, { status: 202 });
    };
    const loops = [a, b].map((outbox) =>
      createDeliveryLoop({
        outbox,
        destinations: (destination) => ({ endpointUrl: `https://${destination}.example.com/events` }),
        sign: async (unsigned) => unsigned.jti,
        fetch: fetchImpl,
      }),
    );
    const deadline = Date.now() + 5_000;
    while (a.pendingCount() > 0 && Date.now() < deadline) {
      for (const loop of loops) loop.wake();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await Promise.all(loops.map((loop) => loop.stop()));
    expect(a.pendingCount()).toBe(0);
    expect([...pushed].sort()).toEqual(['a1', 'a2', 'a3', 'a4', 'b1', 'b2']);
    expect(pushed.filter((jti) => jti.startsWith('a'))).toEqual(['a1', 'a2', 'a3', 'a4']);
  });

  it('[RFC8935-REPLAY] records (iss, jti) once, and purges entries past their keep-until', async () => {
    const received = createSqliteReceivedEvents(await open());
    expect(received.record({ iss: IDP, jti: 'a', receivedAt: 1, keepUntil: 10 })).toBe(true);
    expect(received.record({ iss: IDP, jti: 'a', receivedAt: 2, keepUntil: 10 })).toBe(false);
    expect(received.record({ iss: RAS, jti: 'a', receivedAt: 2, keepUntil: 20 })).toBe(true);
    expect(received.purge(15)).toBe(1);
    expect(received.record({ iss: IDP, jti: 'a', receivedAt: 3, keepUntil: 30 })).toBe(true);
  });

  it('[SSF-PG-RECEIVED-ONCE] the same SET received by two instances is recorded by one only', async () => {
    const shared = await store.open(MIGRATIONS);
    const [a, b] = [createSqliteReceivedEvents(shared.connect()), createSqliteReceivedEvents(shared.connect())];
    // keepUntil derives from a NumericDate iat, which may carry a fraction.
    const event = { iss: IDP, jti: 'set-1', receivedAt: 1_000, keepUntil: 61_000.5 };
    expect(a.record(event)).toBe(true);
    expect(b.record({ ...event, receivedAt: 1_001 })).toBe(false);
    expect(a.record(event)).toBe(false);
  });

  it('[SSF-STREAM-MANAGEMENT] stores, replaces and deletes a stream; one per receiver', async () => {
    const storage = createSqliteStreamStorage(await open());
    const stream: SsfStream = {
      streamId: 'st-1',
      receiverId: 'rcv-1',
      audience: RAS,
      endpointUrl: `${RAS}/ssf/events`,
      authorization: 'Bearer x',
      eventsRequested: ['e1', 'e2'],
      eventsDelivered: ['e1'],
      description: null,
      status: 'enabled',
      createdAt: 1,
      updatedAt: 1,
    };
    storage.insertStream(stream);
    expect(storage.findStream('st-1')).toEqual(stream);
    expect(storage.findStreamOfReceiver('rcv-1')).toEqual(stream);
    expect(() => storage.insertStream({ ...stream, streamId: 'st-2' })).toThrow();
    storage.replaceStream({ ...stream, endpointUrl: `${RAS}/other`, authorization: null, updatedAt: 2 });
    expect(storage.findStream('st-1')).toMatchObject({
      endpointUrl: `${RAS}/other`,
      authorization: null,
      updatedAt: 2,
    });
    expect(storage.listStreams()).toHaveLength(1);
    expect(storage.deleteStream('st-1')).toBe(true);
    expect(storage.deleteStream('st-1')).toBe(false);
  });
});
