import { html, type SafeHtml } from '@ema/html';
import type { Group, User } from '../../storage/directory-types.js';
import { actionButton, checkbox, csrfField, field } from './admin-page.js';

/** Users: table with an edit form per user, their passkeys (and the reset), and the "Create user" form. */
export function usersContent(
  users: readonly User[],
  passkeyCounts: ReadonlyMap<string, number>,
  csrfToken: string,
): SafeHtml {
  const rows = users.map(
    (user) => html`<tr>
<td><strong>${user.username}</strong><br><code>${user.id}</code></td>
<td><form method="post" action="/admin/users/${user.id}/update">${csrfField(csrfToken)}
<div class="grid">${field('name', 'Name', { value: user.name, id: `${user.id}-name` })}
${field('email', 'Email', { value: user.email, id: `${user.id}-email` })}
${field('groups', 'Groups', { value: user.groups.join(' '), id: `${user.id}-groups` })}
${field('password', 'New password', { type: 'password', id: `${user.id}-password` })}</div>
${checkbox('disabled', 'Disabled', user.disabled)}<button class="small" type="submit">Save ${user.username}</button></form></td>
<td><p data-testid="passkeys-${user.username}">Passkeys: ${passkeyCounts.get(user.id) ?? 0}</p>
${(passkeyCounts.get(user.id) ?? 0) > 0 ? actionButton(`/admin/users/${user.id}/passkeys/reset`, csrfToken, `Reset passkeys ${user.username}`, true) : ''}
${actionButton(`/admin/users/${user.id}/sessions/revoke`, csrfToken, `Sign out ${user.username} everywhere`, true)}
${actionButton(`/admin/users/${user.id}/delete`, csrfToken, `Delete ${user.username}`, true)}</td></tr>`,
  );
  return html`<div class="card"><table><thead><tr><th>User</th><th>Details</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>
<div class="card"><h2>Create user</h2><form method="post" action="/admin/users">${csrfField(csrfToken)}<div class="grid">
${field('username', 'Username', { required: true })}${field('password', 'Password', { type: 'password', required: true })}
${field('name', 'Name', { required: true })}${field('email', 'Email', { type: 'email', required: true })}
${field('groups', 'Groups', { placeholder: 'engineering sales' })}</div><button type="submit">Create user</button></form></div>`;
}

/** Groups: table with members, delete buttons, and the "Create group" form. */
export function groupsContent(groups: readonly Group[], users: readonly User[], csrfToken: string): SafeHtml {
  const usernames = new Map(users.map((user) => [user.id, user.username]));
  const rows = groups.map(
    (group) => html`<tr><td><strong>${group.name}</strong></td><td>${group.description}</td>
<td>${group.members.map((id) => usernames.get(id) ?? id).join(', ')}</td>
<td>${actionButton(`/admin/groups/${group.name}/delete`, csrfToken, `Delete ${group.name}`, true)}</td></tr>`,
  );
  return html`<div class="card"><table><thead><tr><th>Group</th><th>Description</th><th>Members</th><th></th></tr></thead><tbody>${rows}</tbody></table>
<p class="muted">Membership is edited on the Users page.</p></div>
<div class="card"><h2>Create group</h2><form method="post" action="/admin/groups">${csrfField(csrfToken)}<div class="grid">
${field('name', 'Group name', { required: true })}${field('description', 'Description')}</div><button type="submit">Create group</button></form></div>`;
}
