import { html, type SafeHtml } from '@ema/html';
import { AMR_MULTI_FACTOR } from '@ema/protocol';
import type { ClientView } from '../../admin/manage-clients.js';
import type { PolicyRule, ProtectedResource } from '../../storage/directory-types.js';
import { actionButton, checkbox, csrfField, field, select, textArea } from './admin-page.js';

/** Clients: registrations (with their client id at each RAS), secret rotation, and "Register client". */
export function clientsContent(
  clients: readonly ClientView[],
  csrfToken: string,
  newSecret?: { clientId: string; secret: string },
): SafeHtml {
  const secret =
    newSecret === undefined
      ? ''
      : html`<div class="card"><p role="status">Client secret for <strong>${newSecret.clientId}</strong> (shown once, store it now):</p><pre id="client-secret">${newSecret.secret}</pre></div>`;
  const rows = clients.map(
    (client) => html`<tr><td><strong>${client.clientId}</strong><br>${client.name}</td>
<td>${client.redirectUris.map((uri) => html`<code>${uri}</code><br>`)}</td>
<td>${client.mayRequestIdJag ? 'yes' : 'no'}</td>
<td>${Object.entries(client.rasClientIds).map(([ras, id]) => html`<code>${ras}</code> → <code>${id}</code><br>`)}</td>
<td>${actionButton(`/admin/clients/${client.clientId}/secret`, csrfToken, `New secret for ${client.clientId}`)}
${actionButton(`/admin/clients/${client.clientId}/delete`, csrfToken, `Delete ${client.clientId}`, true)}</td></tr>`,
  );
  return html`${secret}<div class="card"><table><thead><tr><th>Client</th><th>Redirect URIs</th><th>ID-JAGs</th><th>Client id at each RAS</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>
<div class="card"><h2>Register client</h2><form method="post" action="/admin/clients">${csrfField(csrfToken)}<div class="grid">
${field('clientId', 'Client ID', { required: true })}${field('name', 'Client name', { required: true })}</div>
${textArea('redirectUris', 'Redirect URIs (one per line)', 'https://agent.example/auth/callback')}
${textArea('postLogoutRedirectUris', 'Post-logout redirect URIs (one per line)')}
${textArea('rasClientIds', 'Client id at each RAS (one "issuer = client id" per line)', 'https://ras.example = agent-at-ras')}
${checkbox('mayRequestIdJag', 'May request ID-JAGs')}<button type="submit">Register client</button></form></div>`;
}

/** Resources: the MCP servers the IdP knows, each with the RAS (audience) that serves it. */
export function resourcesContent(resources: readonly ProtectedResource[], csrfToken: string): SafeHtml {
  const rows = resources.map(
    (
      resource,
    ) => html`<tr><td><strong>${resource.name}</strong><br><code>${resource.id}</code></td><td><code>${resource.resource}</code></td>
<td><code>${resource.audience}</code></td><td>${resource.scopes.join(' ')}</td>
<td>${actionButton(`/admin/resources/${resource.id}/delete`, csrfToken, `Delete ${resource.id}`, true)}</td></tr>`,
  );
  return html`<div class="card"><table><thead><tr><th>Resource</th><th>Resource identifier</th><th>Audience (RAS issuer)</th><th>Scopes</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>
<div class="card"><h2>Add resource</h2><form method="post" action="/admin/resources">${csrfField(csrfToken)}<div class="grid">
${field('id', 'Resource ID', { required: true, placeholder: 'acme-wiki' })}${field('name', 'Resource name', { required: true })}
${field('resource', 'Resource identifier', { required: true, placeholder: 'https://mcp.example/mcp' })}
${field('audience', 'Audience (RAS issuer)', { required: true, placeholder: 'https://ras.example' })}
${field('scopes', 'Scopes', { required: true, placeholder: 'wiki.read wiki.write' })}</div><button type="submit">Add resource</button></form></div>`;
}

function conditions(rule: PolicyRule): string {
  const parts: string[] = [];
  if (rule.requiredAmr?.includes(AMR_MULTI_FACTOR)) parts.push('requires a second factor');
  const others = (rule.requiredAmr ?? []).filter((method) => method !== AMR_MULTI_FACTOR);
  if (others.length > 0) parts.push(`amr includes ${others.join(', ')}`);
  if (rule.maxAuthAgeSeconds !== null) parts.push(`signed in within ${rule.maxAuthAgeSeconds} s`);
  return parts.join('; ') || '—';
}

/** Policy rules: who, through which client, may reach which resource with which scopes; deny rules win. */
export function policyContent(
  rules: readonly PolicyRule[],
  resources: readonly ProtectedResource[],
  csrfToken: string,
): SafeHtml {
  const names = new Map(resources.map((resource) => [resource.id, resource.name]));
  const rows = rules.map(
    (rule) => html`<tr><td><code>${rule.id}</code><br>${rule.description}</td><td><strong>${rule.effect}</strong></td>
<td>${rule.subjectType} <strong>${rule.subject}</strong></td><td>${rule.clientId ?? 'any client'}</td>
<td>${names.get(rule.resourceId) ?? rule.resourceId}</td><td>${rule.scopes.join(' ') || 'whole resource'}</td><td>${conditions(rule)}</td>
<td>${actionButton(`/admin/policy/${rule.id}/delete`, csrfToken, `Delete rule ${rule.id}`, true)}</td></tr>`,
  );
  return html`<div class="card"><p class="muted">Deny rules win over allow rules; without a matching allow rule, access is denied. Changes apply to the next token exchange.</p>
<table><thead><tr><th>Rule</th><th>Effect</th><th>Who</th><th>Client</th><th>Resource</th><th>Scopes</th><th>Conditions</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>
<div class="card"><h2>Add rule</h2><form method="post" action="/admin/policy">${csrfField(csrfToken)}<div class="grid">
${field('id', 'Rule ID (optional)')}${field('description', 'Description', { required: true })}
${select('effect', 'Effect', [
  ['allow', 'allow'],
  ['deny', 'deny'],
])}${select('subjectType', 'Subject type', [
  ['group', 'group'],
  ['user', 'user'],
])}
${field('subject', 'Subject (group name or username)', { required: true })}${field('clientId', 'Client ID (empty: any client)')}
${select(
  'resourceId',
  'Resource',
  resources.map((resource) => [resource.id, resource.name] as const),
)}
${field('scopes', 'Scopes (empty on a deny rule: the whole resource)')}
${field('maxAuthAgeSeconds', 'Signed in within (seconds, optional)', { type: 'number' })}${checkbox('requireSecondFactor', 'Requires a second factor (a passkey)')}
</div><button type="submit">Add rule</button></form></div>`;
}
