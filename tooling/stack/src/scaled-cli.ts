/**
 * `pnpm start:scaled`: the demo world on PostgreSQL with two instances each of the IdP, the RAS and the MCP server
 * behind HAProxy, and the agent host, on the same URLs as `pnpm start` (the balancer listens on the demo ports, the
 * instances on the next ones: 3101 and 3102 for the IdP). PostgreSQL runs from `data/postgres` (as the `postgres`
 * account when this is root) on port 3400, unless every app is given its `<APP>_DATABASE_URL`. `EMA_SCALED_INSTANCES`
 * sets the number of instances; everything `pnpm start` reads applies too. Exit status as for `pnpm start`.
 */
import { join } from 'node:path';
import { demoBanner } from './banner.js';
import { runInForeground } from './foreground.js';
import { prettyLogs } from './log-format.js';
import { REPOSITORY_ROOT } from './repository-root.js';
import { type ScaledStack, scaledStack } from './scaled-stack.js';
import { ssfLinkToken } from './ssf-link-token.js';

const env = process.env;
const dataRoot = env.EMA_DATA_ROOT || join(REPOSITORY_ROOT, 'data');

let stack: ScaledStack;
let pretty: boolean;
try {
  const instances = Number(env.EMA_SCALED_INSTANCES || 2);
  if (!Number.isInteger(instances) || instances < 1 || instances > 9) {
    throw new RangeError(`EMA_SCALED_INSTANCES must be a whole number from 1 to 9, not ${env.EMA_SCALED_INSTANCES}`);
  }
  stack = scaledStack({ env, dataRoot, instances, ssfLinkToken: ssfLinkToken(dataRoot) });
  pretty = prettyLogs(env, process.stdout.isTTY === true);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

const instanceLines = stack.instances.map((instance) => `    ${instance.name.padEnd(26)}${instance.localUrl}\n`);
const more = `  Scaled: every role above but the agent host is HAProxy in front of these instances (health: /healthz):
${instanceLines.join('')}  PostgreSQL: ${
  stack.postgresPort === undefined
    ? 'the databases of IDP_DATABASE_URL, RAS_DATABASE_URL, MCP_DATABASE_URL'
    : `127.0.0.1:${stack.postgresPort} (databases idp, ras, mcp; cluster in ${join(dataRoot, 'postgres')})`
}

`;

const status = await runInForeground({
  processes: stack.processes,
  banner: () => demoBanner(stack.apps, dataRoot, { rasAdminApiToken: stack.rasAdminApiToken, more }),
  quiet: env.EMA_QUIET === '1',
  pretty,
  print: (text) => process.stdout.write(`${text}\n`),
  printError: (text) => process.stderr.write(`${text}\n`),
  signals: process,
});
process.exit(status);
