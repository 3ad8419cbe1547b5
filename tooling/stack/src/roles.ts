/**
 * A role of the stack, as data: where its package is, how it is configured, how it shows it is up. The launcher
 * derives everything else (command line, environment, health URL, the port that must be free) from this, so a new
 * role, or a second instance of one on its own port, is a new entry or a new port, not new launching code.
 */
export interface Role {
  /** Short name: the prefix of its log lines, its data directory under the data root, its process name. */
  readonly name: string;
  /** How messages name it ("the IdP"). */
  readonly title: string;
  /** Its package directory, relative to the repository root; the process runs there. */
  readonly packageDir: string;
  /** Entry points relative to the package directory: the build output, and the TypeScript source. */
  readonly entry: { readonly dist: string; readonly source: string };
  /** Its public URL (issuer, resource identifier, base URL): the variable that sets it, and its default. */
  readonly url: { readonly env?: string; readonly default: string };
  /** The variable that sets its listening port apart from the public URL's. */
  readonly portEnv: string;
  /** The variable that places its data directory; absent for a role that keeps none. */
  readonly dataDirEnv?: string;
  /** Answers 200 once the role serves requests. */
  readonly healthPath: string;
  /**
   * The file of its data directory where it writes the admin API token it generated at boot (mode 0600); the banner
   * shows it. Absent for a role without one.
   */
  readonly adminApiTokenFile?: string;
  /**
   * How the scaled stack runs several instances of it behind a load balancer; absent for a role run once (the agent
   * host keeps its browser sessions in its own SQLite file).
   */
  readonly scaled?: {
    /** The variable that points it at a PostgreSQL database instead of its SQLite file. */
    readonly databaseUrlEnv: string;
    /** Its database on the stack's own PostgreSQL server. */
    readonly database: string;
    /**
     * The variable naming the proxies whose `X-Forwarded-For` it believes: the scaled stack names the balancer there,
     * so that the per-address limits (the IdP's sign-in throttle, the token endpoints' rate limits) see the client.
     */
    readonly trustedProxiesEnv: string;
    /**
     * A response header naming state one instance keeps in memory, which the balancer then sticks to that instance
     * (the MCP server's sessions: `Mcp-Session-Id`).
     */
    readonly stickyHeader?: string;
  };
}

const SERVER_ENTRY = { dist: 'dist/server.js', source: 'src/server.ts' } as const;

/**
 * The four roles of the demo, in start order: the IdP first (the RAS trusts it, the agent host discovers it), then
 * the RAS, the MCP server, and the agent host. The URLs are those of docs/demo-world.md "Where each role listens"; each
 * variable is the one the app's `src/env.ts` reads.
 */
export const DEMO_ROLES = [
  {
    name: 'idp',
    title: 'the IdP',
    packageDir: 'apps/idp',
    entry: SERVER_ENTRY,
    url: { env: 'IDP_ISSUER', default: 'http://localhost:3100' },
    portEnv: 'IDP_PORT',
    dataDirEnv: 'IDP_DATA_DIR',
    healthPath: '/healthz',
    scaled: { databaseUrlEnv: 'IDP_DATABASE_URL', database: 'idp', trustedProxiesEnv: 'IDP_TRUSTED_PROXIES' },
  },
  {
    name: 'authorization-server',
    title: 'the authorization server',
    packageDir: 'apps/authorization-server',
    entry: SERVER_ENTRY,
    url: { env: 'RAS_ISSUER', default: 'http://localhost:3200' },
    portEnv: 'RAS_PORT',
    dataDirEnv: 'RAS_DATA_DIR',
    healthPath: '/healthz',
    adminApiTokenFile: 'admin-api-token',
    scaled: { databaseUrlEnv: 'RAS_DATABASE_URL', database: 'ras', trustedProxiesEnv: 'RAS_TRUSTED_PROXIES' },
  },
  {
    name: 'mcp-server',
    title: 'the MCP server',
    packageDir: 'apps/mcp-server',
    entry: SERVER_ENTRY,
    // The resource identifier (RFC 8707): the server answers at its origin.
    url: { env: 'MCP_RESOURCE', default: 'http://localhost:3300/mcp' },
    portEnv: 'MCP_PORT',
    dataDirEnv: 'MCP_DATA_DIR',
    healthPath: '/healthz',
    // Its MCP sessions (the SDK's transports) live in the memory of the instance that opened them.
    scaled: {
      databaseUrlEnv: 'MCP_DATABASE_URL',
      database: 'mcp',
      trustedProxiesEnv: 'MCP_TRUSTED_PROXIES',
      stickyHeader: 'Mcp-Session-Id',
    },
  },
  {
    name: 'agent-host',
    title: 'the agent host',
    packageDir: 'apps/agent-host',
    entry: SERVER_ENTRY,
    url: { env: 'AGENT_BASE_URL', default: 'http://localhost:3000' },
    portEnv: 'AGENT_PORT',
    dataDirEnv: 'AGENT_DATA_DIR',
    healthPath: '/healthz',
  },
] as const satisfies readonly Role[];

/** The name of one of the demo's roles. */
export type DemoRoleName = (typeof DEMO_ROLES)[number]['name'];

/** The demo role of that name. */
export function demoRole(name: DemoRoleName): Role {
  const role = DEMO_ROLES.find((candidate) => candidate.name === name);
  if (role === undefined) throw new TypeError(`no demo role named ${name}`);
  return role;
}
