import type { ObservedExchange } from '@ema/ema-client';
import { describe, expect, it } from 'vitest';
import { FlowRecorder } from '../../src/inspector/flow-recorder.js';

/** base64url of a JSON value, for a JWT-shaped test token. */
function part(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

const ID_TOKEN = `${part({ alg: 'ES256', kid: 'k1' })}.${part({ iss: 'https://idp.example', sub: 'alice' })}.c2lnbmF0dXJl`;
const ID_JAG = `${part({ alg: 'ES256', typ: 'oauth-id-jag+jwt' })}.${part({ aud: 'https://ras.example' })}.c2lnLWphZw`;

function tokenExchange(): ObservedExchange {
  return {
    label: { step: 'token-exchange', party: 'idp', title: 'Token exchange at the IdP (RFC 8693)' },
    startedAt: Date.UTC(2030, 0, 1),
    durationMs: 12,
    request: {
      method: 'POST',
      url: 'https://idp.example/token',
      headers: new Headers({
        authorization: `Basic ${Buffer.from('agent-host:idp-secret').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        cookie: 'session=abc',
      }),
      body: new URLSearchParams({
        subject_token: ID_TOKEN,
        client_secret: 'idp-secret',
        scope: 'tickets.read',
      }).toString(),
    },
    response: {
      status: 200,
      headers: new Headers({ 'content-type': 'application/json', 'set-cookie': 'x=y' }),
      body: Promise.resolve(JSON.stringify({ access_token: ID_JAG, token_type: 'N_A', scope: 'tickets.read' })),
    },
  };
}

describe('the flow recorder (an observer of the EMA client)', () => {
  it('[AGENT-INSPECTOR-STEPS] records an exchange under its step with tokens decoded and secrets redacted', async () => {
    const recorder = new FlowRecorder();
    expect(recorder.responseBodies).toBe(true);
    recorder.exchange(tokenExchange());
    await recorder.settle();
    const [recorded] = recorder.exchanges;
    expect(recorded).toMatchObject({ step: 'token-exchange', party: 'idp', durationMs: 12, at: Date.UTC(2030, 0, 1) });
    expect(recorded?.request.headers.map((header) => header.name)).toEqual(['authorization', 'content-type']);
    expect(recorded?.request.headers[0]?.value).toBe('Basic [redacted]');
    expect(recorded?.request.body).toMatchObject({
      kind: 'form',
      params: [
        { name: 'subject_token', token: { claims: { sub: 'alice' }, signature: '[redacted]' } },
        { name: 'client_secret', value: '[redacted]' },
        { name: 'scope', value: 'tickets.read' },
      ],
    });
    expect(recorded?.response?.headers.map((header) => header.name)).toEqual(['content-type']);
    expect(recorded?.response?.body).toMatchObject({
      kind: 'json',
      value: { access_token: { decoded: { claims: { aud: 'https://ras.example' } } }, token_type: 'N_A' },
    });
    const serialized = JSON.stringify(recorder.exchanges);
    for (const secret of [
      'idp-secret',
      'c2lnbmF0dXJl',
      'c2lnLWphZw',
      'session=abc',
      Buffer.from('agent-host:idp-secret').toString('base64'),
    ]) {
      expect(serialized).not.toContain(secret);
    }
  });

  it('[AGENT-INSPECTOR-DPOP] shows the DPoP proof and the DPoP-bound token decoded, signatures withheld', async () => {
    const proof = `${part({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'EC' } })}.${part({ htm: 'POST', ath: 'x' })}.cHJvb2Ytc2ln`;
    const token = `${part({ typ: 'at+jwt', alg: 'ES256' })}.${part({ cnf: { jkt: 'thumb' } })}.dG9rZW4tc2ln`;
    const recorder = new FlowRecorder();
    recorder.exchange({
      label: { step: 'mcp', party: 'mcp', title: 'MCP request' },
      startedAt: 0,
      durationMs: 1,
      request: {
        method: 'POST',
        url: 'https://mcp.example/mcp',
        headers: new Headers({ authorization: `DPoP ${token}`, dpop: proof }),
        body: undefined,
      },
      response: { status: 401, headers: new Headers({ 'dpop-nonce': 'n-1' }) },
    });
    await recorder.settle();
    const [recorded] = recorder.exchanges;
    expect(recorded?.request.headers).toMatchObject([
      { name: 'authorization', token: { claims: { cnf: { jkt: 'thumb' } }, signature: '[redacted]' } },
      { name: 'dpop', token: { header: { typ: 'dpop+jwt' }, claims: { htm: 'POST' }, signature: '[redacted]' } },
    ]);
    expect(recorded?.response?.headers).toEqual([{ name: 'dpop-nonce', value: 'n-1' }]);
    const serialized = JSON.stringify(recorder.exchanges);
    expect(serialized).not.toContain('cHJvb2Ytc2ln');
    expect(serialized).not.toContain('dG9rZW4tc2ln');
  });

  it('[AGENT-INSPECTOR-STEPS] records a failed exchange with its reason and no response', () => {
    const recorder = new FlowRecorder();
    const { response: _response, ...failed } = tokenExchange();
    recorder.exchange({ ...failed, failure: 'timed out' });
    expect(recorder.exchanges[0]).toMatchObject({ step: 'token-exchange', error: 'timed out' });
    expect(recorder.exchanges[0]?.response).toBeUndefined();
  });

  it('[AGENT-INSPECTOR-STEPS] keeps the most recent exchanges only', () => {
    const recorder = new FlowRecorder({ maxExchanges: 2 });
    for (const durationMs of [1, 2, 3]) recorder.exchange({ ...tokenExchange(), durationMs });
    expect(recorder.exchanges.map((exchange) => exchange.durationMs)).toEqual([2, 3]);
  });
});
