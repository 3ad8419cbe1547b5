/** The landing page for visitors without a session. */
import { html, type SafeHtml } from '@ema/html';
import { layout } from './layout.js';
import { messageBox } from './message-view.js';
import type { HumanMessage } from './messages.js';

/** Why the visitor sees the sign-in page. */
export type SignInReason = 'expired' | 'signed-out' | 'failed' | 'idp-unreachable' | undefined;

const NOTES: Record<Exclude<SignInReason, undefined>, HumanMessage> = {
  expired: {
    kind: 'session-expired',
    title: 'Your session has expired',
    text: 'For your security you were signed out. Sign in again with your organization to continue.',
  },
  'signed-out': { kind: 'connection-error', title: 'Signed out', text: 'You are signed out of the agent host.' },
  failed: {
    kind: 'connection-error',
    title: 'Sign-in did not complete',
    text: 'The answer from your organization’s sign-in could not be verified. Please try again.',
  },
  'idp-unreachable': {
    kind: 'unreachable',
    title: 'Cannot reach your organization’s identity provider',
    text: 'The sign-in service did not answer. It may be down or restarting; try again in a moment.',
  },
};

/** The sign-in page. */
export function signInPage(reason: SignInReason): SafeHtml {
  const note = reason ? NOTES[reason] : undefined;
  const body = html`<h1>Sign in</h1>
${note ? (reason === 'signed-out' ? html`<div class="alert ok" data-testid="signed-out"><p>${note.text}</p></div>` : messageBox(note)) : ''}
<div class="card">
  <p>The agent host connects your AI agents to your company’s MCP servers. Access is decided by your organization:
  you sign in once, and there are no per-server consent screens.</p>
  <p><a class="button" href="/auth/signin" data-testid="sign-in">Sign in with your organization</a></p>
</div>`;
  return layout('Sign in', body);
}
