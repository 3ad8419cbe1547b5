import { describe, expect, it } from 'vitest';
import { accountDisabled, type SsfStream, unsignedClaims } from '../../src/index.js';
import {
  createSqliteOutbox,
  createSqliteReceivedEvents,
  createSqliteStreamStorage,
  outboxMigration,
  receivedEventsMigration,
  streamsMigration,
} from '../../src/sqlite.js';
import { IDP, RAS } from '../support/keys.js';
import { STORES } from '../support/stores.js';

const claims = (jti: string) =>
  unsignedClaims(accountDisabled({ user: { iss: IDP, sub: 'u' }, occurredAt: 1 }), {
    issuer: IDP,
    audience: RAS,
    jti,
    txn: jti,
  });

const MIGRATIONS = [outboxMigration, receivedEventsMigration, streamsMigration];

describe.each(STORES)('on $name', (store) => {
  describe('createSqliteOutbox', () => {
    it('[SSF-DELIVERY-DURABLE] keeps entries in order until finished, with their attempts and claims', async () => {
      const { db } = await store.open(MIGRATIONS);
      const outbox = createSqliteOutbox(db);
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

    it('[SSF-PG-OUTBOX-CLAIM] claims an attempt only as it was read, never a finished entry', async () => {
      const outbox = createSqliteOutbox((await store.open(MIGRATIONS)).db);
      outbox.enqueue({ destination: 's1', jti: 'a', claims: claims('a'), createdAt: 100 });
      const [seen] = outbox.pending(10);
      const entry = seen ?? expect.unreachable();
      expect(outbox.claim(entry, 900)).toBe(true);
      expect(outbox.claim(entry, 900)).toBe(false);
      outbox.finish(entry.id, 'delivered', 200);
      expect(outbox.claim({ ...entry, nextAttemptAt: 900 }, 1_000)).toBe(false);
    });

    it('[SSF-DELIVERY-DURABLE] a jti enters the outbox once', async () => {
      const outbox = createSqliteOutbox((await store.open(MIGRATIONS)).db);
      outbox.enqueue({ destination: 's1', jti: 'a', claims: claims('a'), createdAt: 1 });
      expect(() => outbox.enqueue({ destination: 's2', jti: 'a', claims: claims('a'), createdAt: 1 })).toThrow();
    });
  });

  describe('createSqliteReceivedEvents', () => {
    it('[RFC8935-REPLAY] records (iss, jti) once, and purges entries past their keep-until', async () => {
      const received = createSqliteReceivedEvents((await store.open(MIGRATIONS)).db);
      expect(received.record({ iss: IDP, jti: 'a', receivedAt: 1, keepUntil: 10 })).toBe(true);
      expect(received.record({ iss: IDP, jti: 'a', receivedAt: 2, keepUntil: 10 })).toBe(false);
      expect(received.record({ iss: RAS, jti: 'a', receivedAt: 2, keepUntil: 20 })).toBe(true);
      expect(received.purge(15)).toBe(1);
      expect(received.record({ iss: IDP, jti: 'a', receivedAt: 3, keepUntil: 30 })).toBe(true);
    });
  });

  describe('createSqliteStreamStorage', () => {
    it('[SSF-STREAM-MANAGEMENT] stores, replaces and deletes a stream; one per receiver', async () => {
      const storage = createSqliteStreamStorage((await store.open(MIGRATIONS)).db);
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
});

describe('two transmitters sharing one PostgreSQL outbox', () => {
  it('[SSF-PG-OUTBOX-CLAIM] of two claims of the same attempt exactly one wins; the lease runs out for a retry', async () => {
    const postgres = STORES.find((store) => store.name === 'PostgreSQL');
    const { db, connect } = (await postgres?.open(MIGRATIONS)) ?? expect.unreachable();
    const [first, second] = [createSqliteOutbox(db), createSqliteOutbox(connect())];
    first.enqueue({ destination: 's1', jti: 'a', claims: claims('a'), createdAt: 100 });
    // Both instances read the same pending entry, then race for it.
    const [seenByFirst] = first.pending(10);
    const [seenBySecond] = second.pending(10);
    const wins = [
      first.claim(seenByFirst ?? expect.unreachable(), 5_100),
      second.claim(seenBySecond ?? expect.unreachable(), 5_100),
    ];
    expect(wins).toEqual([true, false]);
    // The winner died mid-push: the entry shows its lease, and whoever reads it after may claim it again.
    const [leased] = second.pending(10);
    expect(leased).toMatchObject({ jti: 'a', attempts: 0, nextAttemptAt: 5_100 });
    expect(second.claim(leased ?? expect.unreachable(), 10_100)).toBe(true);
  });
});
