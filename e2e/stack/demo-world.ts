/**
 * The seeded demo world (docs/demo-world.md) as the browser suite sees it: where each role listens and who may sign in. The
 * URLs are the launcher's (`@ema/stack`): the demo ports, or the whole world moved by `EMA_PORT_OFFSET`, so a second
 * copy of the suite can run beside a stack already on the demo ports.
 */
import { demoWorldUrls, portOffsetOf } from '@ema/stack';

const world = demoWorldUrls(portOffsetOf(process.env));

/** Where each role listens (docs/demo-world.md "Where each role listens"). */
export const URLS = {
  agentHost: world.agentHost,
  idp: world.idp,
  authorizationServer: world.ras,
  mcpServer: new URL(world.mcpResource).origin,
} as const;

/** The MCP server's resource identifier. */
export const MCP_RESOURCE = world.mcpResource;

/** A person in the IdP directory. */
export interface DemoUser {
  readonly username: string;
  readonly password: string;
  readonly name: string;
  readonly email: string;
  readonly group: string;
}

/** The people of the IdP directory (docs/demo-world.md "People"). */
export const USERS = {
  alice: {
    username: 'alice',
    password: 'alice-password',
    name: 'Alice Anders',
    email: 'alice@acme.example',
    group: 'engineering',
  },
  bob: { username: 'bob', password: 'bob-password', name: 'Bob Brown', email: 'bob@acme.example', group: 'sales' },
  carol: {
    username: 'carol',
    password: 'carol-password',
    name: 'Carol Chen',
    email: 'carol@acme.example',
    group: 'contractors',
  },
  admin: {
    username: 'admin',
    password: 'admin-password',
    name: 'Ada Admin',
    email: 'admin@acme.example',
    group: 'it-admins',
  },
} as const satisfies Record<string, DemoUser>;

/** The seeded MCP server, as the agent host's catalog names it. */
export const ACME_TICKETS = 'Acme Tickets';

/** Its tools (docs/demo-world.md "The MCP server's tools"). */
export const TOOLS = ['whoami', 'list_tickets', 'get_ticket', 'create_ticket', 'update_ticket'] as const;
