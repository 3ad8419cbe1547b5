/**
 * `pnpm start`: runs the whole demo stack (IdP, RAS, MCP server, agent host), each from its built `dist/server.js`,
 * waits until every app answers `GET /healthz`, prints the URLs and the demo accounts, and stops all four on Ctrl-C
 * (or SIGTERM). Data lives under `data/` at the repository root (EMA_DATA_ROOT moves it), so a second run keeps what
 * the first one wrote. Each app's `<APP>_PORT`, `<APP>_DATA_DIR` and URL variable apply as the app reads them.
 * EMA_QUIET=1 prints only the apps' warnings and errors. The apps write JSON log lines to the launcher's pipes; it shows
 * them through pino-pretty when its own stdout is a terminal (EMA_LOG_FORMAT=pretty or json decides otherwise).
 *
 * The demo runs on http://localhost, which the apps refuse unless the named development opt-out
 * EMA_DEV_ALLOW_INSECURE_LOOPBACK is set; this sets it (unless given), and every app warns about it at boot.
 *
 * Exit status: 0 after a requested stop (Ctrl-C, SIGTERM); 1 when an app is not built, a setting is invalid, a port
 * is taken, an app fails to become healthy, an app exits on its own, or an app had to be killed.
 */
import { join } from 'node:path';
import { demoBanner } from './banner.js';
import { type DemoProcess, demoStack } from './demo-stack.js';
import { runInForeground } from './foreground.js';
import { prettyLogs } from './log-format.js';
import { REPOSITORY_ROOT } from './repository-root.js';

const env = process.env;
const dataRoot = env.EMA_DATA_ROOT || join(REPOSITORY_ROOT, 'data');

let demo: DemoProcess[];
let pretty: boolean;
try {
  demo = demoStack({ env, dataRoot });
  pretty = prettyLogs(env, process.stdout.isTTY === true);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

const status = await runInForeground({
  processes: demo.map((app) => app.spec),
  banner: demoBanner(demo, dataRoot),
  quiet: env.EMA_QUIET === '1',
  pretty,
  print: (text) => process.stdout.write(`${text}\n`),
  printError: (text) => process.stderr.write(`${text}\n`),
  signals: process,
});
process.exit(status);
