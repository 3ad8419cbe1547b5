import { html, type SafeHtml } from '@ema/html';
import type { AuditQuery, AuditRecord } from '@ema/storage';
import type { WhatIfResult } from '../../admin/what-if.js';
import type { IdpClient, ProtectedResource, User } from '../../storage/directory-types.js';
import { actionButton, field, select } from './admin-page.js';

/** The dashboard: what the console manages. */
export function dashboardContent(counts: Readonly<Record<string, number>>): SafeHtml {
  return html`<div class="card"><p>Manage who may reach which MCP servers through which agents. Deny rules win; every decision is audited.</p>
<table><tbody>${Object.entries(counts).map(([name, count]) => html`<tr><th>${name}</th><td>${count}</td></tr>`)}</tbody></table></div>`;
}

/** The audit log: filters (GET form), newest first, JSON-lines export. */
export function auditContent(records: readonly AuditRecord[], filter: AuditQuery): SafeHtml {
  const rows = records.map(
    (
      record,
    ) => html`<tr><td>${record.id}</td><td>${new Date(record.at).toISOString()}</td><td><code>${record.type}</code></td>
<td>${record.outcome}</td><td>${record.reason ?? ''}</td><td>${record.actor ?? ''}</td><td>${record.subject ?? ''}</td><td>${record.clientId ?? ''}</td>
<td><code>${record.jti ?? ''}</code></td><td><pre>${record.details === undefined ? '' : JSON.stringify(record.details, null, 1)}</pre></td></tr>`,
  );
  return html`<div class="card"><form method="get" action="/admin/audit"><div class="grid">
${field('type', 'Type', { value: filter.type ?? '', placeholder: 'id_jag.exchange' })}
${field('outcome', 'Outcome', { value: filter.outcome ?? '', placeholder: 'deny' })}
${field('subject', 'Subject (user id)', { value: filter.subject ?? '' })}${field('clientId', 'Client', { value: filter.clientId ?? '' })}
</div><button type="submit">Filter</button> <a href="/admin/audit/export">Export as JSON lines</a></form></div>
<div class="card"><table><thead><tr><th>#</th><th>At</th><th>Type</th><th>Outcome</th><th>Reason</th><th>Actor</th><th>Subject</th><th>Client</th><th>jti</th><th>Details</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

/** The "what if" form and, after a question, the decision with its explanation. */
export function whatIfContent(
  options: { users: readonly User[]; clients: readonly IdpClient[]; resources: readonly ProtectedResource[] },
  result?: WhatIfResult,
): SafeHtml {
  const answer =
    result === undefined
      ? ''
      : html`<div class="card" id="what-if-result"><h2>Decision: <span class="${result.decision === 'allow' ? 'ok' : 'error'}">${result.decision}</span></h2>
<p>Token exchange would answer: <strong>${result.wouldRespondWith ?? 'an ID-JAG'}</strong>${result.grantedScopes.length > 0 ? html` with scopes <code>${result.grantedScopes.join(' ')}</code>` : ''}.</p>
<ul>${result.explanation.map((line) => html`<li>${line}</li>`)}</ul></div>`;
  return html`<div class="card"><form method="get" action="/admin/what-if"><div class="grid">
${select(
  'username',
  'User',
  options.users.map((user) => [user.username, user.username] as const),
)}
${select(
  'clientId',
  'Client',
  options.clients.map((client) => [client.clientId, client.clientId] as const),
)}
${select(
  'resource',
  'Resource',
  options.resources.map((resource) => [resource.resource, resource.name] as const),
)}
${field('scope', 'Scopes (empty: all offered)', { placeholder: 'tickets.read tickets.write' })}
${field('authAgeSeconds', 'Signed in (seconds ago)', { type: 'number', value: '0' })}
${select('amr', 'Signed in with', [
  ['pwd', 'a password (pwd)'],
  ['pwd hwk user mfa', 'a password and a passkey (pwd hwk user mfa)'],
  ['hwk user mfa', 'a passkey alone (hwk user mfa)'],
])}
</div><button type="submit">Evaluate</button></form><p class="muted">Evaluates policy only: nothing is minted or recorded.</p></div>${answer}`;
}

/** What a published key is for, as the console names it. */
function keyRole(kid: string, currentKid: string, nextKid: string): string {
  if (kid === currentKid) return ' (current: signs new tokens)';
  if (kid === nextKid) return ' (next: published ahead of the next rotation, so verifiers already hold it)';
  return ' (retired, kept until its tokens expire)';
}

/** Signing keys: the current key, the published ones, and the rotate button. */
export function keysContent(
  currentKid: string,
  nextKid: string,
  publishedKids: readonly string[],
  csrfToken: string,
): SafeHtml {
  return html`<div class="card"><p>Current signing key: <code id="current-kid">${currentKid}</code></p>
<p>Published in the JWKS:</p><ul>${publishedKids.map((kid) => html`<li><code>${kid}</code>${keyRole(kid, currentKid, nextKid)}</li>`)}</ul>
${actionButton('/admin/keys/rotate', csrfToken, 'Rotate signing key', true)}</div>`;
}
