import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoStack } from '../src/demo-stack.js';
import { SSF_LINK_TOKEN_FILE, ssfLinkToken } from '../src/ssf-link-token.js';

describe('the demo SSF link token', () => {
  it('[DEV-SECRETS-GENERATED] is generated once per install into the data root (0600), then kept across restarts', () => {
    const dataRoot = join(mkdtempSync(join(tmpdir(), 'ema-link-')), 'data');
    const first = ssfLinkToken(dataRoot);
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const file = join(dataRoot, SSF_LINK_TOKEN_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(ssfLinkToken(dataRoot)).toBe(first);
    expect(ssfLinkToken(join(mkdtempSync(join(tmpdir(), 'ema-link-')), 'data'))).not.toBe(first);
  });

  it('is given to the IdP and the RAS, unless the environment sets their variables', () => {
    const [idp, ras] = demoStack({ env: {}, dataRoot: '/data', mode: 'source', ssfLinkToken: 'l'.repeat(43) });
    expect(idp?.spec.env.IDP_DEMO_SSF_RECEIVER_TOKEN).toBe('l'.repeat(43));
    expect(ras?.spec.env.RAS_SSF_TRANSMITTER_TOKEN).toBe('l'.repeat(43));
    const configured = demoStack({
      env: { RAS_SSF_TRANSMITTER_TOKEN: 'r'.repeat(43) },
      dataRoot: '/data',
      mode: 'source',
      ssfLinkToken: 'l'.repeat(43),
    });
    expect(configured[1]?.spec.env.RAS_SSF_TRANSMITTER_TOKEN).toBe('r'.repeat(43));
    expect(demoStack({ env: {}, dataRoot: '/data', mode: 'source' })[1]?.spec.env.RAS_SSF_TRANSMITTER_TOKEN).toBe(
      undefined,
    );
  });
});
