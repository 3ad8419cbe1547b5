/**
 * The admin page's script. It keeps the admin token in sessionStorage only, calls the JSON API with it, and renders
 * every value with textContent (never innerHTML), so registry and audit data cannot inject markup.
 */
export const ADMIN_JS = `'use strict';
const $ = (id) => document.getElementById(id);
let token = sessionStorage.getItem('ras-admin-token') || '';

async function api(method, path, body) {
  const response = await fetch('/admin/api' + path, {
    method,
    headers: Object.assign({ authorization: 'Bearer ' + token }, body ? { 'content-type': 'application/json' } : {}),
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error_description || data.error || String(response.status));
  return data;
}

function table(id, columns, rows, actions) {
  const el = $(id);
  el.replaceChildren();
  const head = el.insertRow();
  for (const column of columns.concat(actions ? [''] : [])) {
    const th = document.createElement('th');
    th.textContent = column;
    head.appendChild(th);
  }
  for (const row of rows) {
    const tr = el.insertRow();
    for (const column of columns) {
      const value = row[column];
      const cell = tr.insertCell();
      cell.textContent = value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
      if (column === 'outcome') cell.className = String(value);
    }
    if (actions) {
      const cell = tr.insertCell();
      for (const [label, run] of actions) {
        const button = document.createElement('button');
        button.textContent = label;
        button.onclick = () => run(row).then(refresh, report);
        cell.appendChild(button);
      }
    }
  }
}

function report(error) { $('status').textContent = String(error.message || error); }
const q = (value) => encodeURIComponent(value);
const scopes = (value) => value.split(' ').filter(Boolean);

async function refresh() {
  const [idps, resources, clients, subjects] = await Promise.all([
    api('GET', '/trusted-idps'), api('GET', '/resources'), api('GET', '/clients'), api('GET', '/subjects'),
  ]);
  table('idps', ['issuer', 'jwks_uri', 'algorithms'], idps.trusted_idps,
    [['Remove', (row) => api('DELETE', '/trusted-idps?issuer=' + q(row.issuer))]]);
  table('resources', ['resource', 'name', 'scopes'], resources.resources,
    [['Remove', (row) => api('DELETE', '/resources?resource=' + q(row.resource))]]);
  table('clients', ['client_id', 'name', 'public', 'grants'], clients.clients, [
    ['New secret', (row) => api('POST', '/clients/' + q(row.client_id) + '/secret').then(showSecret)],
    ['Remove', (row) => api('DELETE', '/clients/' + q(row.client_id))],
  ]);
  table('subjects', ['account_id', 'iss', 'tenant', 'sub', 'email', 'name', 'last_seen_at'], subjects.subjects);
  await loadAudit();
}

async function loadAudit() {
  const form = new FormData($('audit-form'));
  const params = new URLSearchParams();
  for (const [key, value] of form) if (value) params.set(key, String(value));
  const audit = await api('GET', '/audit?' + params.toString());
  const rows = audit.events.map((event) => Object.assign({}, event, { at: new Date(event.at).toISOString() }));
  table('audit', ['id', 'at', 'type', 'outcome', 'reason', 'client_id', 'subject', 'resource', 'jti', 'details'], rows);
}

function showSecret(data) {
  $('secret').textContent = 'Secret of ' + data.client_id + ' (shown once): ' + data.client_secret;
}

function onSubmit(id, run) {
  $(id).addEventListener('submit', (event) => {
    event.preventDefault();
    const values = Object.fromEntries(new FormData(event.target));
    run(values).then(refresh, report);
  });
}

document.addEventListener('DOMContentLoaded', () => {
  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    token = $('token').value;
    sessionStorage.setItem('ras-admin-token', token);
    start();
  });
  onSubmit('idp-form', (v) => api('PUT', '/trusted-idps', { issuer: v.issuer, jwks_uri: v.jwks_uri,
    algorithms: v.algorithms ? scopes(v.algorithms) : undefined }));
  onSubmit('resource-form', (v) => api('PUT', '/resources', { resource: v.resource, name: v.name, scopes: scopes(v.scopes) }));
  onSubmit('client-form', (v) => api('POST', '/clients', { client_id: v.client_id, name: v.name }).then(showSecret));
  onSubmit('grant-form', (v) => api('PUT', '/clients/' + q(v.client_id) + '/grants', { resource: v.resource, scopes: scopes(v.scopes) }));
  onSubmit('audit-form', () => Promise.resolve());
  if (token) start();
});

function start() {
  refresh().then(() => { $('main').hidden = false; $('status').textContent = ''; }, report);
}
`;
