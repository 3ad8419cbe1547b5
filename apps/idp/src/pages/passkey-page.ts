import { html, type SafeHtml } from '@ema/html';
import { page } from './layout.js';

/** What every form of a passkey sign-in page carries. */
interface PasskeyForm {
  readonly csrfToken: string;
  readonly requestId: string;
}

/** The options of a passkey sign-in page. */
export interface PasskeyPageOptions extends PasskeyForm {
  /** `sign_in`: any passkey signs the user in; `second_factor`: a passkey of the signed-in user, after the password. */
  readonly mode: 'sign_in' | 'second_factor';
  /** `PublicKeyCredentialRequestOptionsJSON`, handed to `navigator.credentials.get()` by the page's script. */
  readonly options: unknown;
  readonly clientName?: string;
  readonly username?: string;
  /** Offer to give up (back to the client with an error), on a sign-in for a client. */
  readonly cancellable: boolean;
  readonly error?: string;
}

function hiddenFields(form: PasskeyForm): SafeHtml {
  return html`<input type="hidden" name="csrf_token" value="${form.csrfToken}">
<input type="hidden" name="request_id" value="${form.requestId}">`;
}

function cancelForm(form: PasskeyForm, reason: 'cancelled' | 'no_passkey', label: string): SafeHtml {
  return html`<form method="post" action="/login/passkey">${hiddenFields(form)}
<input type="hidden" name="cancel" value="${reason}">
<button type="submit" class="secondary">${label}</button></form>`;
}

/**
 * A passkey sign-in: the page's script (`assets/passkey.js`) reads the options from `data-webauthn-options`, runs
 * `navigator.credentials.get()` when the button is pressed, and posts the answer in the `credential` field. For
 * automation: heading "Use your passkey" (second factor) or "Sign in with a passkey", button "Use passkey",
 * errors in `role="alert"` (`#passkey-status`).
 */
export function passkeyPage(options: PasskeyPageOptions): string {
  const secondFactor = options.mode === 'second_factor';
  const title = secondFactor ? 'Use your passkey' : 'Sign in with a passkey';
  const client = options.clientName ?? 'the application';
  const intro = secondFactor
    ? html`<p>${client} asks for a second factor. Confirm it is you, <strong>${options.username ?? ''}</strong>, with your passkey.</p>`
    : html`<p class="muted">${options.clientName === undefined ? '' : html`to continue to <strong>${options.clientName}</strong>`}</p>`;
  const body = html`<div class="card">
<h1>${title}</h1>
${intro}
<p class="error" role="alert" id="passkey-status">${options.error ?? ''}</p>
<form method="post" action="/login/passkey" data-webauthn="authentication" data-webauthn-options="${JSON.stringify(options.options)}">
${hiddenFields(options)}
<input type="hidden" name="credential" value="">
<button type="button" data-webauthn-start>Use passkey</button>
</form>
<noscript><p class="error">Passkeys need JavaScript in your browser.</p></noscript>
${options.cancellable ? cancelForm(options, 'cancelled', `Cancel and return to ${client}`) : ''}
${secondFactor ? '' : html`<p><a href="/login?request=${encodeURIComponent(options.requestId)}">Sign in with your password instead</a></p>`}
</div>`;
  return page({ title, body, narrow: true, passkeyScripts: true });
}

/** The second factor is asked for, but the user has no passkey: how to get one, and the way back. No script. */
export function noPasskeyPage(
  options: PasskeyForm & { readonly clientName?: string; readonly cancellable: boolean },
): string {
  const client = options.clientName ?? 'the application';
  const body = html`<div class="card">
<h1>A passkey is required</h1>
<p class="error" role="alert">${client} asks you to confirm with a second factor, and your account has no passkey yet.</p>
<p>To add one, open <a href="/account">your account</a> at the Acme IdP and choose <strong>Add a passkey</strong>: your password is enough for the first one. Then return to ${client} and try again.</p>
${options.cancellable ? cancelForm(options, 'no_passkey', `Back to ${client}`) : ''}
</div>`;
  return page({ title: 'A passkey is required', body, narrow: true });
}
