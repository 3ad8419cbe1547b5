#!/usr/bin/env node
// Starts the whole demo stack: IdP, resource authorization server, MCP server and agent host, each from its
// built `dist/server.js`. Waits until every app answers `GET /healthz`, prints the URLs and the demo accounts, and
// stops all four on Ctrl-C. Data lives under `data/` at the repository root (override with EMA_DATA_ROOT), so a
// second run keeps what the first one wrote.
//
// The demo runs on http://localhost, which the apps refuse unless the named development opt-out
// EMA_DEV_ALLOW_INSECURE_LOOPBACK is set; this script sets it, and every app warns about it at boot.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dataRoot = process.env.EMA_DATA_ROOT ?? join(root, 'data');

/** The four roles, in start order (the IdP first: the RAS trusts it, the agent host discovers it). */
const apps = [
  { name: 'idp', dir: 'apps/idp', url: process.env.IDP_ISSUER ?? 'http://localhost:3100', dataEnv: 'IDP_DATA_DIR' },
  {
    name: 'authorization-server',
    dir: 'apps/authorization-server',
    url: process.env.RAS_ISSUER ?? 'http://localhost:3200',
    dataEnv: 'RAS_DATA_DIR',
  },
  { name: 'mcp-server', dir: 'apps/mcp-server', url: 'http://localhost:3300', dataEnv: 'MCP_DATA_DIR' },
  {
    name: 'agent-host',
    dir: 'apps/agent-host',
    url: process.env.AGENT_BASE_URL ?? 'http://localhost:3000',
    dataEnv: 'AGENT_DATA_DIR',
  },
];

const children = [];
let stopping = false;

function start(app) {
  const env = {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'production',
    EMA_DEV_ALLOW_INSECURE_LOOPBACK: process.env.EMA_DEV_ALLOW_INSECURE_LOOPBACK ?? '1',
    [app.dataEnv]: process.env[app.dataEnv] ?? join(dataRoot, app.name),
  };
  const child = spawn(process.execPath, ['dist/server.js'], {
    cwd: join(root, app.dir),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `[${app.name}] `;
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream.on('data', (chunk) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines)
        if (process.env.EMA_QUIET !== '1' || /"level":(40|50|60)/.test(line)) console.log(prefix + line);
    });
  }
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${prefix}exited (${signal ?? code}); stopping the stack.`);
      stop(1);
    }
  });
  children.push(child);
}

async function waitHealthy(app, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(new URL('/healthz', app.url), { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${app.name} did not become healthy at ${app.url}/healthz within ${timeoutMs / 1000} s`);
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  const force = setTimeout(() => {
    for (const child of children) child.kill('SIGKILL');
    process.exit(code);
  }, 5000);
  force.unref();
  Promise.all(children.map((child) => (child.exitCode === null ? new Promise((r) => child.on('exit', r)) : null))).then(
    () => process.exit(code),
  );
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

for (const app of apps) {
  start(app);
  await waitHealthy(app).catch((error) => {
    console.error(error.message);
    stop(1);
  });
}
if (!stopping) {
  console.log(`
  Enterprise-Managed Authorization for MCP: the demo stack is running.

    Open the agent host:        ${apps[3].url}
    IdP (admin console):        ${apps[0].url}/admin
    Authorization server:       ${apps[1].url}
    MCP server "Acme Tickets":  ${apps[2].url}/mcp

  Demo accounts (IdP):  alice / alice-password   (engineering: tickets.read tickets.write)
                        bob   / bob-password     (sales: tickets.read)
                        carol / carol-password   (contractors: no access)
                        admin / admin-password   (it-admins: IdP admin console)

  Data: ${dataRoot}    Press Ctrl-C to stop.
`);
}
