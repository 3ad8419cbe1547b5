import { describe, expect, it } from 'vitest';
import { isStorageUnavailable, isUnstorableText } from '../src/index.js';

function withCode(code: unknown): Error {
  return Object.assign(new Error('driver error'), { code });
}

describe('isStorageUnavailable', () => {
  it('[FAULT-DISK-FULL-503] recognises a full disk, an I/O failure and a lock held past the busy time-out, extended codes included', () => {
    for (const code of ['SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_IOERR_WRITE', 'SQLITE_IOERR_FSYNC', 'SQLITE_BUSY']) {
      expect(isStorageUnavailable(withCode(code)), code).toBe(true);
    }
  });

  it('[FAULT-DISK-FULL-503] does not take a constraint, a bug or a look-alike code for an outage', () => {
    for (const code of [
      'SQLITE_CONSTRAINT',
      'SQLITE_CONSTRAINT_PRIMARYKEY',
      'SQLITE_ERROR',
      'SQLITE_FULLNESS',
      'FULL',
      7,
    ]) {
      expect(isStorageUnavailable(withCode(code)), String(code)).toBe(false);
    }
    expect(isStorageUnavailable(new Error('database or disk is full'))).toBe(false);
    expect(isStorageUnavailable(undefined)).toBe(false);
    expect(isStorageUnavailable('SQLITE_FULL')).toBe(false);
  });

  it('[STORAGE-PG-RECONNECT] recognises PostgreSQL down, out of room or rolling a transaction back, and a lost connection', () => {
    for (const code of ['08006', '08001', '53100', '53300', '57P01', '57P03', '40001', '40P01']) {
      expect(isStorageUnavailable(withCode(code)), code).toBe(true);
    }
    for (const code of ['EMA_CONNECTION_LOST', 'EMA_TIMEOUT', 'EMA_CLOSED']) {
      expect(isStorageUnavailable(withCode(code)), code).toBe(true);
    }
    // A bad statement, a constraint, text it cannot hold, a statement timeout's look-alikes, a driver's own code.
    for (const code of ['42601', '23505', '22021', '57014', '57P04', '530000', '0800', 'EMA_UNKNOWN', 'ECONNREFUSED']) {
      expect(isStorageUnavailable(withCode(code)), code).toBe(false);
    }
  });

  it('[FAULT-DISK-FULL-503] finds the storage failure an error wraps as its cause', () => {
    const wrapped = new Error('the tool call could not be committed', { cause: withCode('SQLITE_FULL') });
    expect(isStorageUnavailable(new Error('outer', { cause: wrapped }))).toBe(true);
    expect(isStorageUnavailable(new Error('outer', { cause: withCode('SQLITE_CONSTRAINT') }))).toBe(false);
  });
});

describe('isUnstorableText', () => {
  it('[STORAGE-UNSTORABLE-TEXT-400] recognises PostgreSQL refusing text it cannot hold, wrapped or not, and nothing else', () => {
    for (const code of ['22021', '22P05']) expect(isUnstorableText(withCode(code)), code).toBe(true);
    expect(isUnstorableText(new Error('outer', { cause: withCode('22021') }))).toBe(true);
    for (const code of ['22001', '23505', 'SQLITE_FULL', '2202', 22021]) {
      expect(isUnstorableText(withCode(code)), String(code)).toBe(false);
    }
    expect(isUnstorableText(undefined)).toBe(false);
    expect(isStorageUnavailable(withCode('22021'))).toBe(false);
  });
});
