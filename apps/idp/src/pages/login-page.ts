import { html } from '@ema/html';
import { page } from './layout.js';

/** What the sign-in form carries. */
export interface LoginPageOptions {
  readonly csrfToken: string;
  /** The authorization request's parameters, carried as hidden fields (or empty for a console sign-in). */
  readonly hidden: Readonly<Record<string, string>>;
  readonly clientName?: string;
  readonly username?: string;
  readonly error?: string;
}

/**
 * The sign-in page. For automation (Playwright): fields `username` (label "Username") and `password` (label
 * "Password"), button "Sign in"; errors in an element with `role="alert"`.
 */
export function loginPage(options: LoginPageOptions): string {
  const hidden = Object.entries(options.hidden).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
  );
  const body = html`<div class="card">
<h1>Sign in</h1>
${options.clientName === undefined ? '' : html`<p class="muted">to continue to <strong>${options.clientName}</strong></p>`}
${options.error === undefined ? '' : html`<p class="error" role="alert">${options.error}</p>`}
<form method="post" action="/login">
<input type="hidden" name="csrf_token" value="${options.csrfToken}">
${hidden}
<label for="username">Username</label>
<input type="text" id="username" name="username" autocomplete="username" required autofocus value="${options.username ?? ''}">
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
</div>`;
  return page({ title: 'Sign in', body, narrow: true });
}
