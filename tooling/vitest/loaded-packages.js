// Which npm packages a module loads: for tests proving that an entry point loads only what it names (for example,
// that a framework-neutral core pulls in neither Fastify nor a native database driver).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const tsx = createRequire(import.meta.url).resolve('tsx');

// Runs in a fresh Node process: imports the specifier, then lists the files the CommonJS loader holds (every
// CommonJS package an ES module imports goes through it, Fastify and better-sqlite3 among them) and the ES modules
// below node_modules that the import graph reached (recorded by a resolve hook).
const PROBE = `
import { createRequire, register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const seen = new Set();
const { port1, port2 } = new MessageChannel();
port1.on('message', (url) => seen.add(url));
port1.unref();
register('data:text/javascript,' + encodeURIComponent(\`
  let port;
  export function initialize(data) { port = data.port; }
  export async function resolve(specifier, context, next) {
    const result = await next(specifier, context);
    port.postMessage(result.url);
    return result;
  }\`), { data: { port: port2 }, transferList: [port2] });
await import(process.argv[1]);
await new Promise((resolve) => setTimeout(resolve, 50));
const files = [...Object.keys(createRequire(import.meta.url).cache), ...seen];
process.stdout.write(JSON.stringify(files));
`;

/**
 * The names of the npm packages (folders under `node_modules`) that importing `specifier` loads, resolved from
 * `cwd` with the workspace's source condition, in a separate Node process so nothing already loaded counts.
 * TypeScript sources are loaded through tsx, which is itself left out of the answer.
 *
 * @param {string} specifier a package specifier, e.g. `@ema/oauth-server`
 * @param {string} cwd the folder to resolve it from (a package that depends on it, or the package itself)
 * @returns {string[]} package names, sorted
 */
export function loadedPackages(specifier, cwd) {
  const output = execFileSync(
    process.execPath,
    ['--conditions=@ema/source', '--import', tsx, '--input-type=module', '--eval', PROBE, specifier],
    { cwd, encoding: 'utf8' },
  );
  const names = new Set();
  for (const file of JSON.parse(output)) {
    const match = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(file);
    if (match?.[1] && match[1] !== 'tsx' && !match[1].startsWith('@esbuild') && match[1] !== 'esbuild') {
      names.add(match[1]);
    }
  }
  return [...names].sort();
}
