import { openDatabase } from '@ema/storage/sqlite';
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

const open = () =>
  openDatabase({ file: ':memory:', migrations: [outboxMigration, receivedEventsMigration, streamsMigration] });
const claims = (jti: string) =>
  unsignedClaims(accountDisabled({ user: { iss: IDP, sub: 'u' }, occurredAt: 1 }), {
    issuer: IDP,
    audience: RAS,
    jti,
    txn: jti,
  });

describe('createSqliteOutbox', () => {
  it('[SSF-DELIVERY-DURABLE] keeps entries in order until finished, with their attempts and claims', () => {
    const db = open();
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

  it('[SSF-DELIVERY-DURABLE] a jti enters the outbox once', () => {
    const outbox = createSqliteOutbox(open());
    outbox.enqueue({ destination: 's1', jti: 'a', claims: claims('a'), createdAt: 1 });
    expect(() => outbox.enqueue({ destination: 's2', jti: 'a', claims: claims('a'), createdAt: 1 })).toThrow();
  });
});

describe('createSqliteReceivedEvents', () => {
  it('[RFC8935-REPLAY] records (iss, jti) once, and purges entries past their keep-until', () => {
    const received = createSqliteReceivedEvents(open());
    expect(received.record({ iss: IDP, jti: 'a', receivedAt: 1, keepUntil: 10 })).toBe(true);
    expect(received.record({ iss: IDP, jti: 'a', receivedAt: 2, keepUntil: 10 })).toBe(false);
    expect(received.record({ iss: RAS, jti: 'a', receivedAt: 2, keepUntil: 20 })).toBe(true);
    expect(received.purge(15)).toBe(1);
    expect(received.record({ iss: IDP, jti: 'a', receivedAt: 3, keepUntil: 30 })).toBe(true);
  });
});

describe('createSqliteStreamStorage', () => {
  it('[SSF-STREAM-MANAGEMENT] stores, replaces and deletes a stream; one per receiver', () => {
    const storage = createSqliteStreamStorage(open());
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
