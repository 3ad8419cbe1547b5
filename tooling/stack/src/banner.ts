import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoProcess } from './demo-stack.js';
import type { DemoRoleName } from './roles.js';

/**
 * The admin API token an app generated at this boot, read from the file it wrote in its data directory (mode 0600):
 * no token is fixed in source, and none goes through a log line.
 */
function generatedAdminToken(app: DemoProcess | undefined): string | undefined {
  const file = app?.role.adminApiTokenFile;
  const dataDirEnv = app?.role.dataDirEnv;
  const dataDir = dataDirEnv === undefined ? undefined : app?.spec.env[dataDirEnv];
  if (file === undefined || dataDir === undefined) return undefined;
  try {
    return readFileSync(join(dataDir, file), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * What `pnpm start` prints once every app is healthy (call it then: it reads what the apps wrote at boot): where to
 * go, who can sign in (DEMO.md "People"), the RAS admin token generated at this boot, the development opt-out the
 * demo runs under, and where the data is.
 */
export function demoBanner(processes: readonly DemoProcess[], dataRoot: string): string {
  const url = (name: DemoRoleName): string => {
    const found = processes.find((candidate) => candidate.role.name === name);
    if (found === undefined) throw new TypeError(`the demo stack has no ${name}`);
    return found.address.publicUrl;
  };
  const insecureLoopback = processes.some((app) => app.spec.env.EMA_DEV_ALLOW_INSECURE_LOOPBACK === '1');
  const rasToken = generatedAdminToken(processes.find((app) => app.role.name === 'authorization-server'));
  return `
  Enterprise-Managed Authorization for MCP: the demo stack is running.

    Open the agent host:        ${url('agent-host')}
    IdP (admin console):        ${url('idp').replace(/\/$/, '')}/admin
    Authorization server:       ${url('authorization-server')}
    MCP server "Acme Tickets":  ${url('mcp-server')}

  Demo accounts (IdP):  alice / alice-password   (engineering: tickets.read tickets.write)
                        bob   / bob-password     (sales: tickets.read)
                        carol / carol-password   (contractors: no access)
                        admin / admin-password   (it-admins: IdP admin console)

  RAS admin API token:  ${
    rasToken === undefined
      ? '(none: RAS_ADMIN_API_TOKEN is configured, or the admin API is off)'
      : `${rasToken}   (new at each start)`
  }
${
  insecureLoopback
    ? `
  Development only: plain http on localhost, allowed by EMA_DEV_ALLOW_INSECURE_LOOPBACK=1 (each app warns about it),
  with the demo's passwords and secrets. Do not expose these ports beyond this machine.
`
    : ''
}
  Data: ${dataRoot}    Press Ctrl-C to stop.
`;
}
