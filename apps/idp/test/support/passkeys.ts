import {
  type CreationOptions,
  type RequestOptions,
  readCreationOptions,
  readRequestOptions,
  SoftwareAuthenticator,
  type Tampering,
} from '@ema/software-authenticator';
import type { IdpApp } from '../../src/app.js';
import { type CookieJar, hiddenField } from './browser.js';
import { form, ISSUER } from './test-app.js';

function optionsAttribute(page: string): unknown {
  const attribute = /data-webauthn-options="([^"]*)"/.exec(page)?.[1];
  if (attribute === undefined) throw new Error('the page offers no passkey ceremony');
  const json = attribute
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
  return JSON.parse(json);
}

/** The registration options a page hands its script (`data-webauthn-options`). */
export function creationOptions(page: string): CreationOptions {
  return readCreationOptions(optionsAttribute(page));
}

/** The authentication options a page hands its script (`data-webauthn-options`). */
export function requestOptions(page: string): RequestOptions {
  return readRequestOptions(optionsAttribute(page));
}

/** A software authenticator on the IdP's origin. */
export function authenticator(options: { synced?: boolean } = {}): SoftwareAuthenticator {
  return new SoftwareAuthenticator(new URL(ISSUER).origin, options);
}

/** GETs a page of the IdP in the "browser" (cookies kept). */
export async function open(app: IdpApp, jar: CookieJar, url: string) {
  const response = await app.inject({ method: 'GET', url, headers: { cookie: jar.header() } });
  jar.store(response);
  return response;
}

/** POSTs a form of the IdP in the "browser". */
export async function post(app: IdpApp, jar: CookieJar, url: string, fields: Record<string, string>) {
  const response = await app.inject({
    method: 'POST',
    url,
    headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
    payload: form(fields),
  });
  jar.store(response);
  return response;
}

/** Opens the account page of the signed-in user and adds a passkey with `device` (the jar's session must allow it). */
export async function enrolPasskey(
  app: IdpApp,
  jar: CookieJar,
  device: SoftwareAuthenticator,
  tampering: Tampering = {},
) {
  const page = await open(app, jar, '/account');
  const registration = device.register(creationOptions(page.body), tampering);
  return post(app, jar, '/account/passkeys', {
    csrf_token: hiddenField(page.body, 'csrf_token') ?? '',
    name: 'Laptop',
    credential: JSON.stringify(registration),
  });
}

/**
 * On a passkey page (second factor or passkey sign-in), answers with `device` (tampered on request) and posts the
 * answer; returns the response.
 */
export async function answerPasskeyPage(
  app: IdpApp,
  jar: CookieJar,
  page: string,
  device: SoftwareAuthenticator,
  tampering: Tampering = {},
) {
  const assertion = device.assert(requestOptions(page), tampering);
  return post(app, jar, '/login/passkey', {
    csrf_token: hiddenField(page, 'csrf_token') ?? '',
    request_id: hiddenField(page, 'request_id') ?? '',
    credential: JSON.stringify(assertion),
  });
}
