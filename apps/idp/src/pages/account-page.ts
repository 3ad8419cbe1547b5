import { html } from '@ema/html';
import type { Passkey } from '../storage/passkey-types.js';
import { page } from './layout.js';

/** What the account page shows. */
export interface AccountPageOptions {
  readonly name: string;
  readonly username: string;
  readonly passkeys: readonly Passkey[];
  readonly csrfToken: string;
  /**
   * The registration options (`PublicKeyCredentialCreationOptionsJSON`) when the session may change passkeys now;
   * undefined when the user must first confirm it is them (a recent sign-in, with a passkey if they have one).
   */
  readonly registration?: unknown;
  readonly notice?: string;
  readonly error?: string;
}

function when(seconds: number | null): string {
  return seconds === null ? 'never' : new Date(seconds * 1000).toISOString().replace('T', ' ').slice(0, 16);
}

/**
 * The employee's own account page: their passkeys (name, kind, added, last used), "Add a passkey" and "Remove
 * <name>". For automation: heading "Your account", table rows per passkey, button "Add a passkey" (field "Passkey
 * name"), link "Confirm it's you" when a fresh sign-in is needed first; notices in `role="status"`.
 */
export function accountPage(options: AccountPageOptions): string {
  const canChange = options.registration !== undefined;
  const rows = options.passkeys.map(
    (passkey) => html`<tr><td><strong>${passkey.name}</strong></td>
<td>${passkey.deviceType === 'singleDevice' ? 'On one device (hwk)' : 'Synced between devices (swk)'}</td>
<td>${when(passkey.createdAt)}</td><td>${when(passkey.lastUsedAt)}</td>
<td>${
      canChange
        ? html`<form method="post" action="/account/passkeys/${passkey.credentialId}/delete"><input type="hidden" name="csrf_token" value="${options.csrfToken}"><button type="submit" class="small danger">Remove ${passkey.name}</button></form>`
        : ''
    }</td></tr>`,
  );
  const table =
    options.passkeys.length === 0
      ? html`<p id="no-passkeys">You have no passkey yet. Some applications ask for one as a second factor.</p>`
      : html`<table><thead><tr><th>Passkey</th><th>Kind</th><th>Added</th><th>Last used</th><th></th></tr></thead><tbody>${rows}</tbody></table>`;
  const change = canChange
    ? html`<h2>Add a passkey</h2>
<p class="error" role="alert" id="passkey-status"></p>
<form method="post" action="/account/passkeys" data-webauthn="registration" data-webauthn-options="${JSON.stringify(options.registration)}">
<input type="hidden" name="csrf_token" value="${options.csrfToken}">
<input type="hidden" name="credential" value="">
<label for="passkey-name">Passkey name</label>
<input type="text" id="passkey-name" name="name" maxlength="60" value="${options.passkeys.length === 0 ? 'My passkey' : `Passkey ${options.passkeys.length + 1}`}" required>
<button type="button" data-webauthn-start>Add a passkey</button>
</form>
<noscript><p class="error">Passkeys need JavaScript in your browser.</p></noscript>`
    : html`<p>To add or remove passkeys, sign in again first${options.passkeys.length > 0 ? ' with a passkey' : ''}: <a href="/account/confirm">Confirm it's you</a></p>`;
  const body = html`<div class="card">
<h1>Your account</h1>
<p>Signed in as <strong>${options.name}</strong> (<code>${options.username}</code>). <a href="/logout">Sign out</a></p>
${options.notice === undefined ? '' : html`<p class="ok" role="status">${options.notice}</p>`}
${options.error === undefined ? '' : html`<p class="error" role="alert">${options.error}</p>`}
</div>
<div class="card"><h2>Passkeys</h2>${table}${change}</div>`;
  return page({ title: 'Your account', body, passkeyScripts: canChange });
}
