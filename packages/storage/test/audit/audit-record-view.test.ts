import { AuditRecordView } from '@ema/protocol';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { auditQuery, auditRecordView } from '../../src/index.js';

describe('auditRecordView', () => {
  it('names every member in snake_case and leaves absent ones out', () => {
    const view = auditRecordView({ id: 7, at: 1, type: 't', outcome: 'allow', clientId: 'c', subject: 's', jti: 'j' });
    expect(view).toEqual({ id: 7, at: 1, type: 't', outcome: 'allow', client_id: 'c', subject: 's', jti: 'j' });
    expect(Value.Check(AuditRecordView, view)).toBe(true);
  });
});

describe('auditQuery', () => {
  it('maps the wire filters to the store query', () => {
    expect(auditQuery({ client_id: 'c', before_id: 9, limit: 5, outcome: 'deny', since: 1, until: 2 })).toEqual({
      clientId: 'c',
      beforeId: 9,
      limit: 5,
      outcome: 'deny',
      since: 1,
      until: 2,
    });
    expect(auditQuery({})).toEqual({});
  });
});
