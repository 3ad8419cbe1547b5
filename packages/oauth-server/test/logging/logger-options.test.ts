import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from '../../src/runtime.js';

function collector(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { stream, lines };
}

describe('loggerOptions', () => {
  it('[KIT-PROFILE-LOG-REDACTION] never writes tokens, secrets, cookies, Authorization headers or query strings', async () => {
    const { stream, lines } = collector();
    const app = Fastify({ logger: { ...loggerOptions({ name: 'test-app', level: 'info' }), stream } });
    app.get('/callback', async (request) => {
      request.log.info(
        {
          client_secret: 'SECRET-CLIENT',
          password: 'SECRET-PASSWORD',
          body: { assertion: 'SECRET-ASSERTION', subject_token: 'SECRET-SUBJECT', code: 'SECRET-CODE' },
          access_token: 'SECRET-ACCESS',
          headers: { authorization: 'Bearer SECRET-HEADER' },
        },
        'handling',
      );
      request.log.error({ err: Object.assign(new Error('boom'), { code: 'ERR_JWT_EXPIRED' }) }, 'failed');
      return { ok: true };
    });
    await app.inject({
      method: 'GET',
      url: '/callback?code=SECRET-QUERY-CODE&state=s',
      headers: { authorization: 'Bearer SECRET-BEARER', cookie: 'sid=SECRET-COOKIE' },
    });
    await app.close();
    const output = lines.join('');
    expect(output).toContain('"name":"test-app"');
    expect(output).toContain('"url":"/callback"');
    expect(output).toContain('[redacted]');
    expect(output).not.toMatch(/SECRET-/);
    // Error codes stay visible: only authorization-code parameters are redacted.
    expect(output).toContain('"code":"ERR_JWT_EXPIRED"');
  });

  it('defaults the level to info', () => {
    expect(loggerOptions({ name: 'x', pretty: false })).toMatchObject({ name: 'x', level: 'info' });
  });

  it('[KIT-DEV-LOGS-READABLE] writes pino-pretty lines when pretty, still redacted', async () => {
    const { stream, lines } = collector();
    const app = Fastify({ logger: loggerOptions({ name: 'test-app', pretty: true, destination: stream }) });
    app.log.info({ client_secret: 'SECRET-CLIENT', detail: 42 }, 'readable line');
    await app.close();
    const output = lines.join('');
    expect(output).toMatch(/INFO.*\(test-app\).*readable line/);
    expect(output).toContain('detail: 42');
    expect(output).not.toContain('"level":30');
    expect(output).not.toMatch(/SECRET-/);
  });

  it('[KIT-DEV-LOGS-READABLE] writes JSON when not pretty, and is pretty by default only on a terminal', async () => {
    expect(loggerOptions({ name: 'x', pretty: false })).not.toHaveProperty('stream');
    expect(loggerOptions({ name: 'x', pretty: true })).toHaveProperty('stream');
    expect('stream' in loggerOptions({ name: 'x' })).toBe(process.stdout.isTTY === true);
  });
});
