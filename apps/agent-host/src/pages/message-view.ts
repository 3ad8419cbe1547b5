/** Renders a {@link HumanMessage} as an alert box. */
import { html, type SafeHtml } from '@ema/html';
import type { HumanMessage } from './messages.js';

/** The alert for a message, with `data-testid` = its kind. */
export function messageBox(message: HumanMessage): SafeHtml {
  const tone = message.kind === 'insufficient-scope' || message.kind === 'unreachable' ? 'warn' : 'bad';
  return html`<div class="alert ${tone}" role="alert" data-testid="${message.kind}">
  <h2>${message.title}</h2>
  <p>${message.text}</p>
  ${message.detail ? html`<p class="muted" data-testid="message-detail">${message.detail}</p>` : ''}
  ${message.link ? html`<p><a href="${message.link.href}" data-testid="message-link">${message.link.text}</a></p>` : ''}
  ${message.signInAgain ? html`<p><a class="button" href="/auth/signin" data-testid="sign-in-again">Sign in again</a></p>` : ''}
  ${message.offerSignIn ? html`<p><a class="button" href="/auth/signin?reauth=1" data-testid="sign-in-again">Sign in again</a></p>` : ''}
</div>`;
}
