import { TOKEN_TYPE_ACCESS_TOKEN, TOKEN_TYPE_ID_JAG, TOKEN_TYPE_ID_TOKEN, TOKEN_TYPE_SAML2 } from '@ema/protocol';
import { describe, expect, it } from 'vitest';
import { ExchangeRefusal, readTokenExchangeParameters } from '../../../src/index.js';
import { exchangeParams, exchangeSetup, MCP, RAS, refusal } from './exchange-fixture.js';

const invalidRequest = (description: string) => ({ error: 'invalid_request', error_description: description });

describe('token exchange step 2: parameters', () => {
  it('[IDP-RFC8693-2.1-PARAMS] reads the parameters; no scope means every scope the resource offers (undefined)', async () => {
    const params = await exchangeParams({ scope: undefined });
    expect(readTokenExchangeParameters(params)).toEqual({
      subjectToken: params.get('subject_token'),
      subjectTokenType: TOKEN_TYPE_ID_TOKEN,
      audience: RAS,
      resource: MCP,
      scopes: undefined,
    });
    expect(readTokenExchangeParameters(await exchangeParams({ scope: 'a  b' })).scopes).toEqual(['a', 'b']);
  });

  it.each([
    ['requested_token_type', 'missing_requested_token_type'],
    ['subject_token', 'missing_subject_token'],
    ['subject_token_type', 'missing_subject_token_type'],
    ['audience', 'missing_audience'],
    ['resource', 'missing_resource'],
  ])('[IDP-RFC8693-2.1-PARAMS] refuses a request without %s with invalid_request', async (name, reason) => {
    const refused = await refusal(exchangeSetup(), await exchangeParams({ [name]: undefined }));
    expect(refused).toMatchObject({ status: 400, body: invalidRequest(`${name} is required`), reason });
  });

  it('[IDP-RFC8693-ACTOR-TOKEN] refuses actor_token and actor_token_type rather than ignore them', async () => {
    for (const name of ['actor_token', 'actor_token_type']) {
      const refused = await refusal(exchangeSetup(), await exchangeParams({ [name]: 'x' }));
      expect(refused).toMatchObject({
        body: invalidRequest('actor_token is not supported'),
        reason: 'actor_token_not_supported',
      });
    }
  });

  it('[IDP-IDJAG-4.3.1-TOKEN-TYPES] refuses another requested_token_type, and saml2 or access-token subjects', async () => {
    const access = await refusal(
      exchangeSetup(),
      await exchangeParams({ requested_token_type: TOKEN_TYPE_ACCESS_TOKEN }),
    );
    expect(access).toMatchObject({
      body: invalidRequest(`requested_token_type must be ${TOKEN_TYPE_ID_JAG}`),
      reason: 'unsupported_requested_token_type',
    });
    for (const type of [TOKEN_TYPE_SAML2, TOKEN_TYPE_ACCESS_TOKEN]) {
      const refused = await refusal(exchangeSetup(), await exchangeParams({ subject_token_type: type }));
      expect(refused).toMatchObject({
        body: invalidRequest('unsupported subject_token_type'),
        reason: 'unsupported_subject_token_type',
      });
    }
  });

  it('throws an ExchangeRefusal carrying the OAuth error and the audit reason', () => {
    expect(() => readTokenExchangeParameters(new Map())).toThrow(ExchangeRefusal);
  });

  it('names ExchangeRefusal and gives it its stable code, for the server log and for callers that branch on it', () => {
    let refusal: unknown;
    try {
      readTokenExchangeParameters(new Map());
    } catch (error) {
      refusal = error;
    }
    expect(ExchangeRefusal.code).toBe('ERR_EXCHANGE_REFUSED');
    expect(refusal).toMatchObject({ name: 'ExchangeRefusal', code: 'ERR_EXCHANGE_REFUSED' });
  });
});
