/**
 * The names of the npm packages that importing `specifier` loads, resolved from `cwd` with the workspace's source
 * condition, in a separate Node process so nothing already loaded counts.
 */
export function loadedPackages(specifier: string, cwd: string): string[];
