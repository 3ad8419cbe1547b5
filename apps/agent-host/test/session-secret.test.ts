import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp, SESSION_SECRET_FILE } from '../src/app.js';
import { loadAgentHostConfig } from '../src/config.js';

const ISSUER = 'http://127.0.0.1:9100';

async function signedBy(dataDir: string, sessionSecret?: string): Promise<string> {
  const config = loadAgentHostConfig({
    dataDir,
    idp: { issuer: ISSUER },
    allowInsecureLoopback: true,
    ...(sessionSecret === undefined ? {} : { sessionSecret }),
  });
  const app = await buildApp(config, { logger: false });
  try {
    return app.signCookie('session-id');
  } finally {
    await app.close();
  }
}

describe('the session secret', () => {
  it('[DEV-SECRETS-GENERATED] is generated per install, kept in the data directory (0600), and survives restarts', async () => {
    const install = mkdtempSync(join(tmpdir(), 'agent-host-secret-'));
    const beforeRestart = await signedBy(install);
    const file = join(install, SESSION_SECRET_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // A cookie signed before the restart is still valid after it: sessions survive.
    expect(await signedBy(install)).toBe(beforeRestart);
    // Another install signs with another secret: nothing is shared or published.
    expect(await signedBy(mkdtempSync(join(tmpdir(), 'agent-host-secret-')))).not.toBe(beforeRestart);
    expect(loadAgentHostConfig({ allowInsecureLoopback: true }).sessionSecret).toBeUndefined();
  });

  it('uses AGENT_SESSION_SECRET when it is set, and writes no file', async () => {
    const secret = 'a-session-secret-chosen-by-the-operator-0123456789';
    const dataDir = mkdtempSync(join(tmpdir(), 'agent-host-secret-'));
    const signed = await signedBy(dataDir, secret);
    expect(signed).toBe(await signedBy(mkdtempSync(join(tmpdir(), 'agent-host-secret-')), secret));
    expect(() => statSync(join(dataDir, SESSION_SECRET_FILE))).toThrow();
  });
});
