import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is `benchmarks/src/stack/launch.ts`). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * How servers are started. `dist` is what the benchmark measures: the built `dist/server.js` under plain Node, as in
 * production. `source` runs `src/server.ts` through tsx with the workspace source condition: no build needed, for the
 * smoke test, which checks behaviour and never speed.
 */
export type LaunchMode = 'dist' | 'source';

/** Extra Node flags for the measured processes (e.g. `--cpu-prof`). */
export interface LaunchOptions {
  mode: LaunchMode;
  extraNodeArgs?: readonly string[];
}

/** The working directory, Node arguments and entry point that start the server of package directory `dir`. */
export function launchCommand(
  dir: string,
  options: LaunchOptions,
  entries: { dist: string; source: string } = { dist: 'dist/server.js', source: 'src/server.ts' },
): { cwd: string; nodeArgs: string[]; entry: string } {
  const extra = options.extraNodeArgs ?? [];
  return options.mode === 'dist'
    ? { cwd: join(REPO_ROOT, dir), nodeArgs: [...extra], entry: entries.dist }
    : {
        cwd: join(REPO_ROOT, dir),
        nodeArgs: ['--conditions=@ema/source', '--import', 'tsx', ...extra],
        entry: entries.source,
      };
}
