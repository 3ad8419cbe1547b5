import { describe, expect, it } from 'vitest';
import {
  issSubSubject,
  jwtIdSubject,
  namesSession,
  opaqueSubject,
  readJwtId,
  readSession,
  readUser,
  userSessionSubject,
} from '../../src/index.js';

const alice = { iss: 'https://idp.example.com', sub: 'usr_alice' };

describe('subject identifiers (RFC 9493, SSF 1.0)', () => {
  it('[SSF-SUBJECT-FORMATS] builds iss_sub, opaque, jwt_id and the complex user + session subject', () => {
    expect(issSubSubject(alice)).toEqual({ format: 'iss_sub', ...alice });
    expect(opaqueSubject('sid_1')).toEqual({ format: 'opaque', id: 'sid_1' });
    expect(jwtIdSubject('https://ras.example.com', 'at-1')).toEqual({
      format: 'jwt_id',
      iss: 'https://ras.example.com',
      jti: 'at-1',
    });
    expect(userSessionSubject(alice, 'sid_1')).toEqual({
      format: 'complex',
      user: { format: 'iss_sub', ...alice },
      session: { format: 'opaque', id: 'sid_1' },
    });
    expect(userSessionSubject(alice, undefined)).toEqual({ format: 'iss_sub', ...alice });
  });

  it('[SSF-SUBJECT-FORMATS] reads back what it builds', () => {
    expect(readUser(issSubSubject(alice))).toEqual(alice);
    expect(readUser(userSessionSubject(alice, 'sid_1'))).toEqual(alice);
    expect(readSession(userSessionSubject(alice, 'sid_1'))).toBe('sid_1');
    expect(namesSession(userSessionSubject(alice, 'sid_1'))).toBe(true);
    expect(namesSession(issSubSubject(alice))).toBe(false);
    expect(readJwtId(jwtIdSubject('https://ras.example.com', 'at-1'))).toEqual({
      iss: 'https://ras.example.com',
      jti: 'at-1',
    });
  });

  it('[SSF-SUBJECT-FORMATS] reads nothing from hostile or foreign shapes', () => {
    const hostile: unknown[] = [
      undefined,
      null,
      'usr_alice',
      [],
      { format: 'email', email: 'alice@example.com' },
      { format: 'iss_sub', iss: alice.iss },
      { format: 'iss_sub', iss: alice.iss, sub: 7 },
      { format: 'iss_sub', iss: '', sub: 'x' },
      { format: 'complex', user: 'x' },
      { format: 'complex', session: { format: 'opaque', id: 'sid' } },
    ];
    for (const subject of hostile) {
      expect(readUser(subject)).toBeUndefined();
      expect(readJwtId(subject)).toBeUndefined();
    }
    expect(
      readSession({ format: 'complex', user: issSubSubject(alice), session: { format: 'email', email: 'x' } }),
    ).toBe(undefined);
    expect(readSession({ format: 'complex', user: issSubSubject(alice), session: { format: 'opaque', id: '' } })).toBe(
      undefined,
    );
  });
});
