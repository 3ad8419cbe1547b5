import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Environment } from './environment.js';
import { StackError } from './errors.js';
import type { ProcessSpec } from './process-spec.js';
import { REPOSITORY_ROOT } from './repository-root.js';
import type { Role } from './roles.js';

/**
 * How an app runs. `dist`: its built entry point under plain Node, as in production. `source`: its TypeScript source
 * through tsx with the workspace source condition, so no build is needed (tsx must be a dependency of the package).
 */
export type LaunchMode = 'dist' | 'source';

/**
 * The V8 heap settings every app runs with, before the caller's own Node flags (a later flag wins, so `nodeArgs` can
 * override them). Under load a Node server's heap is mostly garbage waiting to be collected: with V8's defaults (16 MB
 * semi-spaces, an old generation allowed to grow to several times its live size before a full collection) the MCP
 * server, whose live heap is under 30 MB, peaked at 220-240 MB RSS at concurrency 16. With 4 MB semi-spaces and a full
 * collection once the old generation has doubled, each app peaks at 150-165 MB. Full collections any more often cost
 * tail latency: at a fifth, 130-140 MB but a tool call's p99 of 10-13 ms at concurrency 16 against 5-7 ms
 * (`benchmarks/README.md`, "Memory").
 */
export const APP_HEAP_FLAGS: readonly string[] = ['--max-semi-space-size=4', '--heap-growing-percent=100'];

/** What a caller decides about one app process; the rest comes from its {@link Role}. */
export interface AppProcessOptions {
  /** The complete environment of the process (start from `process.env` to inherit it). */
  readonly env: Environment;
  /** Where it answers on this machine (see {@link roleAddress}). */
  readonly url: string;
  /** Default `dist`. */
  readonly mode?: LaunchMode;
  /** Node flags before the entry point, after {@link APP_HEAP_FLAGS}, e.g. `--cpu-prof`. */
  readonly nodeArgs?: readonly string[];
  /** Default: the role's name. A second instance of a role needs its own (`idp-2`). */
  readonly name?: string;
  /** Default: this repository. */
  readonly repositoryRoot?: string;
}

/**
 * The process that runs a role's app: `node [heap flags] [nodeArgs] dist/server.js` in its package directory, or
 * `node --conditions=@ema/source --import tsx [heap flags] [nodeArgs] src/server.ts` in `source` mode. Throws `NOT_BUILT` when the
 * built entry point is missing.
 */
export function appProcess(role: Role, options: AppProcessOptions): ProcessSpec {
  const cwd = join(options.repositoryRoot ?? REPOSITORY_ROOT, role.packageDir);
  const nodeArgs = [...APP_HEAP_FLAGS, ...(options.nodeArgs ?? [])];
  let args: string[];
  if ((options.mode ?? 'dist') === 'dist') {
    const entry = join(cwd, role.entry.dist);
    if (!existsSync(entry)) {
      throw new StackError(
        'NOT_BUILT',
        `${role.name} is not built (${entry} is missing): run \`npx -y pnpm@12.4.2 build\` first.`,
      );
    }
    args = [...nodeArgs, role.entry.dist];
  } else {
    args = ['--conditions=@ema/source', '--import', 'tsx', ...nodeArgs, role.entry.source];
  }
  return {
    name: options.name ?? role.name,
    title: role.title,
    command: process.execPath,
    args,
    cwd,
    env: options.env,
    url: options.url,
    healthUrl: new URL(role.healthPath, options.url).toString(),
  };
}
