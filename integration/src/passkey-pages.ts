/** Reading the IdP's passkey pages in tests: the WebAuthn options their script would hand the browser. */

/** The JSON of the `data-webauthn-options` attribute of a page (the options of its WebAuthn ceremony). */
export function webauthnOptions(page: string): unknown {
  const attribute = /data-webauthn-options="([^"]*)"/.exec(page)?.[1];
  if (attribute === undefined) throw new Error('the page offers no passkey ceremony');
  return JSON.parse(
    attribute
      .replaceAll('&quot;', '"')
      .replaceAll('&#39;', "'")
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&amp;', '&'),
  );
}
