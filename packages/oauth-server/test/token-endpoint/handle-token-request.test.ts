import { MEDIA_TYPE_FORM, MEDIA_TYPE_JSON } from '@ema/protocol';
import { describe, expect, it, vi } from 'vitest';
import { handleTokenRequest, type OAuthError, type TokenEndpointOptions } from '../../src/index.js';
import { basic, findClient, form, type TestClient } from '../fixtures.js';
import { grants } from './grants.js';

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

function options(extra: Partial<TokenEndpointOptions<TestClient>> = {}): TokenEndpointOptions<TestClient> {
  return { grants, findClient, ...extra };
}

function request(body: string, authorization: string | undefined = basic('simple', 'simple-secret')) {
  return { contentType: MEDIA_TYPE_FORM, authorization, body };
}

describe('handleTokenRequest', () => {
  it('[KIT-RFC6749-5.1-NO-STORE] dispatches to the grant module and answers 200 with no-store', async () => {
    const result = await handleTokenRequest(request(form({ grant_type: 'urn:test:echo', scope: 'a b' })), options());
    expect(result.status).toBe(200);
    expect(result.headers).toEqual(NO_STORE);
    expect(result.body).toEqual({
      access_token: 'simple client_secret_basic',
      token_type: 'Bearer',
      expires_in: 60,
      scope: 'a b',
    });
  });

  it('[KIT-RFC6749-5.1-NO-STORE] sends no-store on refusals too', async () => {
    const result = await handleTokenRequest(request(form({ grant_type: 'urn:test:refuse' })), options());
    expect(result.status).toBe(400);
    expect(result.headers).toEqual(NO_STORE);
    expect(result.body).toEqual({ error: 'invalid_grant', error_description: 'assertion expired' });
  });

  it('[KIT-RFC6749-5.2-UNSUPPORTED-GRANT] refuses a missing grant_type as invalid_request', async () => {
    const result = await handleTokenRequest(request(form({ scope: 'a' })), options());
    expect(result.status).toBe(400);
    expect(result.body).toEqual({ error: 'invalid_request', error_description: 'grant_type is required' });
  });

  it('[KIT-RFC6749-5.2-UNSUPPORTED-GRANT] refuses an unknown grant_type as unsupported_grant_type', async () => {
    const result = await handleTokenRequest(request(form({ grant_type: 'password' })), options());
    expect(result.status).toBe(400);
    expect(result.body).toEqual({ error: 'unsupported_grant_type' });
  });

  it('[KIT-RFC6749-3.2-NO-REPEAT] refuses a repeated parameter before anything else', async () => {
    const result = await handleTokenRequest(request('grant_type=urn%3Atest%3Aecho&scope=a&scope=b'), options());
    expect(result.status).toBe(400);
    expect((result.body as { error: string }).error).toBe('invalid_request');
  });

  it('[KIT-RFC6749-3.2-FORM-BODY] refuses a JSON body and a missing content type', async () => {
    for (const contentType of [MEDIA_TYPE_JSON, undefined, 'text/plain', 'application/x-www-form-urlencodedX']) {
      const result = await handleTokenRequest(
        { contentType, authorization: basic('simple', 'simple-secret'), body: '{"grant_type":"urn:test:echo"}' },
        options(),
      );
      expect(result.status, String(contentType)).toBe(400);
      expect((result.body as { error: string }).error).toBe('invalid_request');
      expect(result.headers).toEqual(NO_STORE);
    }
  });

  it('[KIT-RFC6749-3.2-FORM-BODY] accepts the form media type with parameters and any case', async () => {
    const result = await handleTokenRequest(
      {
        contentType: 'Application/X-WWW-Form-Urlencoded; charset=UTF-8',
        authorization: basic('simple', 'simple-secret'),
        body: form({ grant_type: 'urn:test:echo' }),
      },
      options(),
    );
    expect(result.status).toBe(200);
  });

  it('[KIT-RFC6749-3.2-POST-ONLY] refuses any method but POST with 405 and Allow', async () => {
    const result = await handleTokenRequest(
      { method: 'GET', contentType: undefined, authorization: undefined, body: '' },
      options(),
    );
    expect(result.status).toBe(405);
    expect(result.headers).toEqual({ Allow: 'POST', ...NO_STORE });
    expect((result.body as { error: string }).error).toBe('invalid_request');
  });

  it('[KIT-RFC6749-5.2-INVALID-CLIENT-401] authenticates the client before looking at the grant', async () => {
    const result = await handleTokenRequest(
      request(form({ grant_type: 'password' }), basic('simple', 'wrong')),
      options({ realm: 'test' }),
    );
    expect(result.status).toBe(401);
    expect(result.headers).toEqual({ 'WWW-Authenticate': 'Basic realm="test"', ...NO_STORE });
    expect(result.body).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
  });

  it('[KIT-PROFILE-ERROR-NO-LEAK] turns a crashing grant into a bare 500 server_error and reports it', async () => {
    const onUnexpectedError = vi.fn();
    const result = await handleTokenRequest(
      request(form({ grant_type: 'urn:test:crash' })),
      options({ onUnexpectedError }),
    );
    expect(result.status).toBe(500);
    expect(result.body).toEqual({ error: 'server_error' });
    expect(JSON.stringify(result.body)).not.toContain('secret internals');
    expect(onUnexpectedError).toHaveBeenCalledWith(expect.any(TypeError));
  });

  it('reports each refusal with the grant type and the authenticated client', async () => {
    const seen: [string, unknown][] = [];
    const onRefusal = (error: OAuthError, ctx: unknown) => seen.push([error.error, ctx]);
    await handleTokenRequest(request(form({ grant_type: 'urn:test:refuse' })), options({ onRefusal }));
    await handleTokenRequest(request(form({ grant_type: 'x' }), basic('simple', 'nope')), options({ onRefusal }));
    expect(seen).toEqual([
      ['invalid_grant', { grantType: 'urn:test:refuse', clientId: 'simple' }],
      ['invalid_client', { grantType: 'x' }],
    ]);
  });

  it('does not report a refusal the grant handler already audited, and still answers it', async () => {
    const onRefusal = vi.fn();
    const result = await handleTokenRequest(request(form({ grant_type: 'urn:test:audited' })), options({ onRefusal }));
    expect(result.status).toBe(400);
    expect(result.body).toEqual({ error: 'invalid_grant' });
    expect(onRefusal).not.toHaveBeenCalled();
  });

  it('survives an onRefusal hook that throws', async () => {
    const onRefusal = () => {
      throw new Error('audit down');
    };
    const onUnexpectedError = vi.fn();
    const result = await handleTokenRequest(
      request(form({ grant_type: 'urn:test:refuse' })),
      options({ onRefusal, onUnexpectedError }),
    );
    expect(result.status).toBe(400);
    expect(onUnexpectedError).toHaveBeenCalledOnce();
  });

  it('[KIT-RFC6749-2.3.1-POST] accepts client_secret_post credentials in the form body', async () => {
    const body = form({ grant_type: 'urn:test:echo', client_id: 'simple', client_secret: 'simple-secret' });
    const result = await handleTokenRequest(
      { contentType: MEDIA_TYPE_FORM, authorization: undefined, body },
      options(),
    );
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ access_token: 'simple client_secret_post' });
  });
});
