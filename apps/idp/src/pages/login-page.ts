import { html } from '@ema/html';
import { page } from './layout.js';

/** What the sign-in form carries. */
export interface LoginPageOptions {
  readonly csrfToken: string;
  /** The pending sign-in request the form is for (its parameters stay server-side). */
  readonly requestId: string;
  readonly clientName?: string;
  readonly username?: string;
  readonly error?: string;
}

/**
 * The sign-in page, with no script at all (a password is typed here). For automation (Playwright): fields
 * `username` (label "Username") and `password` (label "Password"), button "Sign in", link "Sign in with a passkey";
 * errors in an element with `role="alert"`.
 */
export function loginPage(options: LoginPageOptions): string {
  const body = html`<div class="card">
<h1>Sign in</h1>
${options.clientName === undefined ? '' : html`<p class="muted">to continue to <strong>${options.clientName}</strong></p>`}
${options.error === undefined ? '' : html`<p class="error" role="alert">${options.error}</p>`}
<form method="post" action="/login">
<input type="hidden" name="csrf_token" value="${options.csrfToken}">
<input type="hidden" name="request_id" value="${options.requestId}">
<label for="username">Username</label>
<input type="text" id="username" name="username" autocomplete="username" required autofocus value="${options.username ?? ''}">
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
<p><a href="/login/passkey?request=${encodeURIComponent(options.requestId)}">Sign in with a passkey</a></p>
</div>`;
  return page({ title: 'Sign in', body, narrow: true });
}
