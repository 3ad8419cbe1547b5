import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function repositoryRoot(): string {
  // Walk up from this module (src/ or dist/) to the workspace root, marked by pnpm-workspace.yaml.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/**
 * The directory an app keeps its data in: `configured` (resolved against the working directory) when given,
 * else `<repository root>/data/<appName>`.
 */
export function resolveDataDir(appName: string, configured?: string): string {
  if (configured !== undefined && configured !== '') return resolve(configured);
  return join(repositoryRoot(), 'data', appName);
}
