/**
 * The flow inspector: every HTTP exchange of the last connection, grouped by the four steps of Enterprise-Managed
 * Authorization, with tokens decoded (header and claims; signatures and secrets withheld). A teaching tool.
 */

import type { FlowStep } from '@ema/ema-client';
import { html, type SafeHtml } from '@ema/html';
import type { FlowRecord } from '../connections/flow-record.js';
import type { DecodedTokenForDisplay, DisplayBody } from '../inspector/display.js';
import type { RecordedExchange, RecordedHeader } from '../inspector/flow-recorder.js';
import { layout, type PageUser } from './layout.js';

const STEPS: ReadonlyArray<{ step: FlowStep; title: string; explanation: string }> = [
  {
    step: 'discovery',
    title: 'Discovery (MCP-AUTH, RFC 9728, RFC 8414) from the 401',
    explanation:
      'The agent host calls the MCP server without a token and gets 401 with WWW-Authenticate: Bearer resource_metadata. It fetches the protected resource metadata (RFC 9728) and checks that its resource is exactly the server’s URL, then fetches the metadata of the first listed authorization server this host is registered at (RFC 8414, at the path-inserted well-known URL) and checks that its issuer is exactly the one named, that it offers the jwt-bearer grant and lists the ID-JAG grant profile.',
  },
  {
    step: 'token-exchange',
    title: 'Token exchange (RFC 8693) at the IdP',
    explanation:
      'RFC 8693: the agent host presents your ID token (or, once it is too old, your IdP refresh token) and asks for an ID-JAG with audience = the authorization server’s issuer and resource = the MCP server. This is where your organization’s policy decides: which users, through which client, may reach which server, with which scopes. With DPoP (RFC 9449, on by default), the request carries a proof by this connection’s own key (the DPoP header, shown decoded), and the IdP binds the ID-JAG to that key (cnf.jkt).',
  },
  {
    step: 'jwt-bearer',
    title: 'JWT bearer grant (RFC 7523) at the authorization server',
    explanation:
      'RFC 7523: the agent host redeems the ID-JAG as an assertion, authenticated with its own credentials at this authorization server (a different client id than at the IdP). The authorization server checks the ID-JAG (typ, issuer, signature, audience, client_id, lifetime, single use) and issues an access token for this one MCP server. An ID-JAG with cnf is redeemed only with a DPoP proof by that key, and the access token is bound to it too (cnf.jkt, token_type DPoP).',
  },
  {
    step: 'mcp',
    title: 'MCP calls with the access token (RFC 6750 Bearer, RFC 9449 DPoP)',
    explanation:
      'Every MCP request carries the access token: Authorization: DPoP with a fresh proof bound to it (ath) when DPoP is on, so a copied token is useless without the key; Authorization: Bearer otherwise. The MCP server verifies it locally (RAS signature, audience = itself, expiry, scopes per tool). The host caches the token and mints a new one through steps 2 and 3 shortly before it expires.',
  },
];

function decodedToken(token: DecodedTokenForDisplay): SafeHtml {
  return html`<div class="card" data-testid="decoded-token">
  <strong>Decoded token</strong> <span class="muted">(not verified here; signature withheld)</span>
  <div class="row" style="align-items:flex-start">
    <div style="flex:1;min-width:16rem"><h3>Header</h3><pre>${JSON.stringify(token.header, null, 2)}</pre></div>
    <div style="flex:2;min-width:20rem"><h3>Claims</h3><pre>${JSON.stringify(token.claims, null, 2)}</pre></div>
  </div>
  <p class="muted">Signature: ${token.signature}</p>
</div>`;
}

function headers(list: readonly RecordedHeader[]): SafeHtml {
  if (list.length === 0) return html``;
  return html`<table class="kv">${list.map((header) => html`<tr><td>${header.name}</td><td><code>${header.value}</code></td></tr>`)}</table>
${list.filter((header) => header.token).map((header) => (header.token ? decodedToken(header.token) : html``))}`;
}

function body(displayed: DisplayBody | undefined): SafeHtml {
  if (!displayed) return html``;
  if (displayed.kind === 'form') {
    return html`<h4>Form parameters</h4><table class="kv">${displayed.params.map(
      (param) => html`<tr><td>${param.name}</td><td><code>${param.value}</code></td></tr>`,
    )}</table>${displayed.params.map((param) => (param.token ? html`<p class="muted">${param.name}:</p>${decodedToken(param.token)}` : html``))}`;
  }
  if (displayed.kind === 'json') return html`<h4>Body</h4><pre>${JSON.stringify(displayed.value, null, 2)}</pre>`;
  return html`<h4>Body</h4><pre>${displayed.text}</pre>`;
}

function exchange(item: RecordedExchange): SafeHtml {
  const status = item.response ? String(item.response.status) : `failed: ${item.error ?? 'no answer'}`;
  const bad = !item.response || item.response.status >= 400;
  return html`<details class="card" data-testid="exchange" data-step="${item.step}">
  <summary>${item.title} <span class="badge${bad ? ' bad' : ''}">${status}</span> <span class="muted"><code>${item.request.method} ${item.request.url}</code> · ${item.durationMs} ms</span></summary>
  <h3>Request</h3>
  ${headers(item.request.headers)}
  ${body(item.request.body)}
  <h3>Response</h3>
  ${item.response ? html`<p>Status <strong>${item.response.status}</strong></p>${headers(item.response.headers)}${body(item.response.body)}` : html`<p class="status bad">${status}</p>`}
</details>`;
}

/** The inspector page for the last connection (or an invitation to connect). */
export function inspectorPage(user: PageUser, record: FlowRecord | undefined): SafeHtml {
  if (!record) {
    return layout(
      'Flow inspector',
      html`<h1>Flow inspector</h1><div class="card" data-testid="no-flow"><p>No connection yet. <a href="/servers">Connect to an MCP server</a> and come back to see each step of the flow.</p></div>`,
      user,
    );
  }
  const all = [...record.exchanges, ...record.later];
  const content = html`<h1>Flow inspector</h1>
<p>Last connection: <strong data-testid="flow-server">${record.serverName}</strong> <code>${record.serverUrl}</code>, ${new Date(record.startedAt).toISOString()}.
<span class="${record.outcome.ok ? 'status ok' : 'status bad'}" data-testid="flow-outcome">${record.outcome.summary}</span></p>
<p class="muted">Tokens are shown decoded for learning: header and claims only. Signatures, client secrets and opaque tokens are withheld.</p>
${STEPS.map(({ step, title, explanation }, index) => {
  const items = all.filter((item) => item.step === step);
  return html`<section data-testid="step-${step}">
  <h2><span class="step-number">${index + 1}</span>${title} <span class="muted">(${items.length} ${items.length === 1 ? 'exchange' : 'exchanges'})</span></h2>
  <p class="muted">${explanation}</p>
  ${items.length > 0 ? items.map(exchange) : html`<p class="muted" data-testid="step-empty">Not reached in this connection.</p>`}
</section>`;
})}`;
  return layout('Flow inspector', content, user);
}
