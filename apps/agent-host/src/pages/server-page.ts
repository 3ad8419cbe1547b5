/** One MCP server: connection state, the last problem, its tools as forms, and the last result. */

import { CSRF_FIELD, html, type SafeHtml } from '@ema/html';
import type { McpServerEntry } from '../config.js';
import type { ServerView, ToolCallView } from '../connections/server-view.js';
import { layout, type PageUser } from './layout.js';
import { messageBox } from './message-view.js';
import { toolForm } from './tool-form.js';

function contentItem(item: unknown): SafeHtml {
  if (typeof item === 'object' && item !== null && (item as { type?: unknown }).type === 'text') {
    return html`<pre data-testid="tool-result-text">${String((item as { text?: unknown }).text ?? '')}</pre>`;
  }
  return html`<pre>${JSON.stringify(item, null, 2)}</pre>`;
}

function callResult(call: ToolCallView): SafeHtml {
  return html`<section class="card" data-testid="tool-result" data-tool="${call.tool}">
  <h2>Result of <code>${call.tool}</code> ${call.isError ? html`<span class="badge bad" data-testid="tool-error">tool error</span>` : ''}</h2>
  <p class="muted">Arguments: <code>${JSON.stringify(call.arguments)}</code></p>
  ${call.content.map(contentItem)}
  ${call.structuredContent !== undefined ? html`<details><summary>Structured content</summary><pre>${JSON.stringify(call.structuredContent, null, 2)}</pre></details>` : ''}
</section>`;
}

/** The server page. */
export function serverPage(user: PageUser, server: McpServerEntry, view: ServerView): SafeHtml {
  const body = html`<p><a href="/servers">← MCP servers</a></p>
<h1 data-testid="server-name">${server.name}</h1>
<div class="row">
  ${
    view.connected
      ? html`<span class="status ok" data-testid="connection-status">Connected</span>
  ${view.grantedScopes ? html`<span class="muted" data-testid="granted-scopes">Permissions granted: ${view.grantedScopes.join(' ') || 'none'}</span>` : ''}`
      : html`<span class="status bad" data-testid="connection-status">Not connected</span>`
  }
  <form class="inline" method="post" action="/servers/${server.id}/connect">
    <input type="hidden" name="${CSRF_FIELD}" value="${user.csrfToken}">
    <button type="submit" data-testid="connect-${server.id}">${view.connected ? 'Reconnect' : 'Connect'}</button>
  </form>
  ${
    view.connected
      ? html`<form class="inline" method="post" action="/servers/${server.id}/disconnect">
    <input type="hidden" name="${CSRF_FIELD}" value="${user.csrfToken}">
    <button type="submit" class="secondary" data-testid="disconnect-${server.id}">Disconnect</button>
  </form>`
      : ''
  }
  <a href="/inspector" data-testid="open-inspector">See the flow in the inspector</a>
</div>
<p class="muted"><code>${server.url}</code></p>
${view.message ? messageBox(view.message) : ''}
${view.lastCall ? callResult(view.lastCall) : ''}
${
  view.connected
    ? html`<h2>Tools</h2>
<div data-testid="tools">${view.tools.map((tool) => toolForm(server.id, tool, user.csrfToken))}</div>`
    : ''
}`;
  return layout(server.name, body, user);
}
