import { html } from '@ema/html';
import { page } from './layout.js';

/**
 * A page that ends an authorization request: an error that must not be redirected (RFC 6749 §4.1.2.1: the client
 * or its redirect URI is not verified), or a refusal with the way back to the application.
 */
export function messagePage(
  title: string,
  message: string,
  options: { testId: string; returnTo?: { href: string; host: string } } = { testId: 'authorization-error' },
): string {
  const body = html`<div class="card">
<h1>${title}</h1>
<p class="error" role="alert" data-testid="${options.testId}">${message}</p>
${
  options.returnTo === undefined
    ? html`<p class="muted">You can close this window.</p>`
    : html`<p><a href="${options.returnTo.href}" data-testid="return-to-client">Return to the application
(${options.returnTo.host})</a></p>`
}
</div>`;
  return page(title, body);
}
