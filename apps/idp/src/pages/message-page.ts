import { html } from '@ema/html';
import { page } from './layout.js';

/** A page with a heading and a message: errors that must not be redirected, "signed out", "forbidden". */
export function messagePage(
  title: string,
  message: string,
  options: { error?: boolean; link?: { href: string; text: string } } = {},
): string {
  const body = html`<div class="card">
<h1>${title}</h1>
${options.error === true ? html`<p class="error" role="alert">${message}</p>` : html`<p>${message}</p>`}
${options.link === undefined ? '' : html`<p><a href="${options.link.href}">${options.link.text}</a></p>`}
</div>`;
  return page({ title, body, narrow: true });
}

/** The sign-out confirmation (RP-initiated logout without a valid `id_token_hint` asks the user first). */
export function logoutConfirmPage(csrfToken: string, hidden: Readonly<Record<string, string>>): string {
  const fields = Object.entries(hidden).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
  );
  const body = html`<div class="card">
<h1>Sign out</h1>
<p>Do you want to sign out of the Acme IdP?</p>
<form method="post" action="/logout">
<input type="hidden" name="csrf_token" value="${csrfToken}">
${fields}
<button type="submit">Sign out</button>
</form>
</div>`;
  return page({ title: 'Sign out', body, narrow: true });
}
