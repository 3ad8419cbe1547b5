import type { DemoProcess } from './demo-stack.js';
import type { DemoRoleName } from './roles.js';

/**
 * What `pnpm start` prints once every app is healthy: where to go, who can sign in (DEMO.md "People"), the
 * development opt-out the demo runs under, and where the data is.
 */
export function demoBanner(processes: readonly DemoProcess[], dataRoot: string): string {
  const url = (name: DemoRoleName): string => {
    const found = processes.find((candidate) => candidate.role.name === name);
    if (found === undefined) throw new TypeError(`the demo stack has no ${name}`);
    return found.address.publicUrl;
  };
  const insecureLoopback = processes.some((app) => app.spec.env.EMA_DEV_ALLOW_INSECURE_LOOPBACK === '1');
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
