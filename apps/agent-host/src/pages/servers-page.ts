/** The catalog of MCP servers. */

import { CSRF_FIELD, html, type SafeHtml } from '@ema/html';
import type { McpServerEntry } from '../config.js';
import type { ServerView } from '../connections/server-view.js';
import { layout, type PageUser } from './layout.js';

/** The catalog page: each server with its state and a Connect button. */
export function serversPage(
  user: PageUser,
  servers: ReadonlyArray<{ server: McpServerEntry; view: ServerView }>,
): SafeHtml {
  const body = html`<h1>MCP servers</h1>
<p class="muted">Your company’s MCP servers. Connecting runs Enterprise-Managed Authorization: your organization decides what you may do.</p>
${servers.map(
  ({ server, view }) => html`<div class="card" data-testid="server-${server.id}">
  <div class="row">
    <h2 style="margin:0;flex:1"><a href="/servers/${server.id}">${server.name}</a></h2>
    ${
      view.connected
        ? html`<span class="status ok" data-testid="connection-status">Connected</span>`
        : view.message
          ? html`<span class="status bad" data-testid="connection-status">Not connected</span>`
          : html`<span class="status muted" data-testid="connection-status">Not connected</span>`
    }
    <form class="inline" method="post" action="/servers/${server.id}/connect">
      <input type="hidden" name="${CSRF_FIELD}" value="${user.csrfToken}">
      <button type="submit" data-testid="connect-${server.id}">${view.connected ? 'Reconnect' : 'Connect'}</button>
    </form>
  </div>
  <p class="muted"><code>${server.url}</code></p>
</div>`,
)}`;
  return layout('MCP servers', body, user);
}
