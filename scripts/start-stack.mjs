#!/usr/bin/env node
// Starts the whole demo stack: IdP, resource authorization server, MCP server and agent host, each from its
// built `dist/server.js`. Waits until every app answers `GET /healthz`, prints the URLs and the demo accounts, and
// stops all four on Ctrl-C (or SIGTERM). Data lives under `data/` at the repository root (override with
// EMA_DATA_ROOT), so a second run keeps what the first one wrote.
//
// The demo runs on http://localhost, which the apps refuse unless the named development opt-out
// EMA_DEV_ALLOW_INSECURE_LOOPBACK is set; this script sets it, and every app warns about it at boot.
//
// Exit status: 0 after a requested stop (Ctrl-C, SIGTERM); 1 when an app is not built, a port is taken, an app
// fails to become healthy, or an app exits on its own.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dataRoot = process.env.EMA_DATA_ROOT ?? join(root, 'data');
const quiet = process.env.EMA_QUIET === '1';
const healthTimeoutMs = 60_000;
const stopTimeoutMs = 10_000;

/** The four roles, in start order (the IdP first: the RAS trusts it, the agent host discovers it). */
const apps = [
  {
    name: 'idp',
    dir: 'apps/idp',
    url: process.env.IDP_ISSUER ?? 'http://localhost:3100',
    portEnv: 'IDP_PORT',
    dataEnv: 'IDP_DATA_DIR',
  },
  {
    name: 'authorization-server',
    dir: 'apps/authorization-server',
    url: process.env.RAS_ISSUER ?? 'http://localhost:3200',
    portEnv: 'RAS_PORT',
    dataEnv: 'RAS_DATA_DIR',
  },
  {
    name: 'mcp-server',
    dir: 'apps/mcp-server',
    url: process.env.MCP_RESOURCE ? new URL(process.env.MCP_RESOURCE).origin : 'http://localhost:3300',
    portEnv: 'MCP_PORT',
    dataEnv: 'MCP_DATA_DIR',
  },
  {
    name: 'agent-host',
    dir: 'apps/agent-host',
    url: process.env.AGENT_BASE_URL ?? 'http://localhost:3000',
    portEnv: 'AGENT_PORT',
    dataEnv: 'AGENT_DATA_DIR',
  },
];

/** The port an app listens on: its port variable when set, else the port of its public URL. */
function portOf(app) {
  const configured = process.env[app.portEnv];
  if (configured) return Number(configured);
  const url = new URL(app.url);
  return Number(url.port || (url.protocol === 'https:' ? 443 : 80));
}

/** The app's health URL. When the port is set apart from the URL, the app is reached on localhost at that port. */
function healthUrl(app) {
  const url = new URL('/healthz', app.url);
  if (process.env[app.portEnv]) {
    url.hostname = 'localhost';
    url.port = String(portOf(app));
  }
  return url;
}

/** True when something already accepts connections on the port (IPv4 or IPv6 loopback). */
async function portInUse(port) {
  const probe = (host) =>
    new Promise((resolve) => {
      const socket = connect({ host, port });
      socket.setTimeout(500);
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('timeout', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(false));
    });
  const answers = await Promise.all([probe('127.0.0.1'), probe('::1')]);
  return answers.includes(true);
}

const children = new Map();
let stopping = false;
let exitCode = 0;

function log(line) {
  process.stdout.write(`${line}\n`);
}

function start(app) {
  const env = {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'production',
    EMA_DEV_ALLOW_INSECURE_LOOPBACK: process.env.EMA_DEV_ALLOW_INSECURE_LOOPBACK ?? '1',
    [app.dataEnv]: process.env[app.dataEnv] ?? join(dataRoot, app.name),
  };
  // Own process group: a terminal's Ctrl-C reaches only this script, which then stops each app exactly once.
  const child = spawn(process.execPath, ['dist/server.js'], {
    cwd: join(root, app.dir),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const prefix = `[${app.name}] `;
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    let pending = '';
    const emit = (line) => {
      if (!quiet || /"level":(40|50|60)/.test(line) || !line.startsWith('{')) log(prefix + line);
    };
    stream.on('data', (chunk) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) emit(line);
    });
    stream.on('end', () => {
      if (pending) emit(pending);
      pending = '';
    });
  }
  // 'close' (not 'exit'): the app's last log lines have been read by then.
  child.on('close', (code, signal) => {
    children.delete(app.name);
    if (!stopping) {
      console.error(`${prefix}exited on its own (${signal ?? `code ${code}`}); stopping the stack.`);
      stop(1);
    } else if (children.size === 0) {
      log('Stopped.');
      process.exit(exitCode);
    }
  });
  child.on('error', (error) => {
    console.error(`${prefix}could not start: ${error.message}`);
    stop(1);
  });
  children.set(app.name, child);
}

async function waitHealthy(app) {
  const url = healthUrl(app);
  const deadline = Date.now() + healthTimeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (!stopping) console.error(`${app.name} did not become healthy at ${url} within ${healthTimeoutMs / 1000} s`);
  return false;
}

/** Stops every running app with SIGTERM, then exits; SIGKILL for any app still running after a grace period. */
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  exitCode = code;
  if (children.size === 0) process.exit(exitCode);
  log(`Stopping the demo stack (${[...children.keys()].join(', ')})…`);
  for (const child of children.values()) child.kill('SIGTERM');
  setTimeout(() => {
    for (const [name, child] of children) {
      console.error(`[${name}] did not stop within ${stopTimeoutMs / 1000} s; killing it.`);
      child.kill('SIGKILL');
    }
    process.exit(1);
  }, stopTimeoutMs).unref();
}

/** A second Ctrl-C while stopping: do not wait any longer. */
function forceStop() {
  for (const child of children.values()) child.kill('SIGKILL');
  process.exit(exitCode || 1);
}

// Ctrl-C stops; Ctrl-C again forces. SIGTERM (a supervisor, or the e2e suite's teardown) only ever stops
// gracefully, even when it arrives just after the terminal's SIGINT.
process.on('SIGINT', () => (stopping ? forceStop() : stop(0)));
process.on('SIGTERM', () => stop(0));
process.on('SIGHUP', () => stop(0));

async function main() {
  for (const app of apps) {
    const server = join(root, app.dir, 'dist', 'server.js');
    if (!existsSync(server)) {
      console.error(`${app.name} is not built (${server} is missing): run \`npx -y pnpm@12.4.2 build\` first.`);
      process.exit(1);
    }
  }
  const taken = [];
  for (const app of apps) if (await portInUse(portOf(app))) taken.push(`${app.name} (port ${portOf(app)})`);
  if (taken.length > 0) {
    console.error(
      `Cannot start the stack: already in use: ${taken.join(', ')}. Is another stack still running? Stop it first.`,
    );
    process.exit(1);
  }

  for (const app of apps) {
    if (stopping) return;
    start(app);
    if (!(await waitHealthy(app))) {
      stop(1);
      return;
    }
  }
  if (stopping) return;
  const [idp, ras, mcp, agent] = apps;
  log(`
  Enterprise-Managed Authorization for MCP: the demo stack is running.

    Open the agent host:        ${agent.url}
    IdP (admin console):        ${idp.url}/admin
    Authorization server:       ${ras.url}
    MCP server "Acme Tickets":  ${mcp.url}/mcp

  Demo accounts (IdP):  alice / alice-password   (engineering: tickets.read tickets.write)
                        bob   / bob-password     (sales: tickets.read)
                        carol / carol-password   (contractors: no access)
                        admin / admin-password   (it-admins: IdP admin console)

  Data: ${dataRoot}    Press Ctrl-C to stop.
`);
}

await main();
