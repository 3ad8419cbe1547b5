import { CSRF_FIELD, html } from '@ema/html';
import type { ClientDisplay } from '../storage/pending-authorizations.js';
import { page } from './layout.js';

/** What the consent page shows. */
export interface ConsentView {
  requestId: string;
  csrfToken: string;
  client: ClientDisplay;
  clientId: string;
  userName: string;
  resourceName: string;
  resource: string;
  /** The scopes the organization granted, which the user now approves. */
  scopes: readonly string[];
  /** Requested scopes the organization did not grant. */
  withheld: readonly string[];
}

/**
 * The consent screen (MCP-AUTH 2025-11-25 "Client ID Metadata Document Security"): the client by the name it gives
 * itself, marked as unverified, with the host its identifier and its redirect point to (the redirect host MUST be
 * displayed; a warning when it is this machine), the resource and the scopes. The logo is never loaded.
 */
export function consentPage(view: ConsentView): string {
  const { client } = view;
  const name = client.name ?? 'An application';
  const identity =
    client.kind === 'metadata_document'
      ? html`<dd><code>${new URL(view.clientId).host}</code> <span class="muted">(from its client metadata document)</span></dd>`
      : html`<dd><code>${view.clientId}</code> <span class="muted">(registered itself with this server)</span></dd>`;
  const body = html`<div class="card">
<h1 data-testid="consent-title">Allow ${name} to use ${view.resourceName}?</h1>
<p>Signed in as <strong data-testid="consent-user">${view.userName}</strong>. Your organization allows this access; it
is yours to approve.</p>
<dl>
<dt>Application</dt><dd data-testid="consent-client">${name} <span class="muted">(name not verified)</span></dd>
${client.clientUri === undefined ? '' : html`<dt>Web site</dt><dd>${client.clientUri}</dd>`}
<dt>Identified by</dt>${identity}
<dt>Returns to</dt><dd><code data-testid="consent-redirect-host">${client.redirectHost}</code></dd>
<dt>Resource</dt><dd data-testid="consent-resource">${view.resourceName} <span class="muted">(${view.resource})</span></dd>
<dt>Permissions</dt><dd><ul>${view.scopes.map((scope) => html`<li data-testid="consent-scope">${scope}</li>`)}</ul></dd>
${
  view.withheld.length === 0
    ? ''
    : html`<dt>Not granted by your organization</dt><dd data-testid="consent-withheld">${view.withheld.join(' ')}</dd>`
}
${client.refreshTokens ? html`<dt>Duration</dt><dd>Until you or your organization withdraw it (refreshable).</dd>` : ''}
</dl>
${
  client.loopbackRedirect
    ? html`<p class="warning" data-testid="consent-loopback-warning">The application receives the answer on this
computer (${client.redirectHost}). Approve only if you just started this from an application you trust: any
program on this computer could claim this name.</p>`
    : ''
}
<form method="post" action="/authorize/consent">
<input type="hidden" name="request_id" value="${view.requestId}">
<input type="hidden" name="${CSRF_FIELD}" value="${view.csrfToken}">
<button type="submit" name="decision" value="allow" data-testid="consent-allow">Allow</button>
<button type="submit" name="decision" value="deny" class="secondary" data-testid="consent-deny">Deny</button>
</form>
</div>`;
  return page('Allow access', body);
}
