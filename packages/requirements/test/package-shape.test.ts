/**
 * Every library package has the shape an implementer can lift: subpath `exports` with types, a version, the files a
 * tarball needs, a README whose usage example the package's typecheck compiles, and `pnpm pack` accepts it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

interface PackageJson {
  name: string;
  version?: string;
  exports?: Record<string, Record<string, string>>;
  files?: string[];
  scripts?: Record<string, string>;
}

const libraries = [
  ...readdirSync(join(root, 'packages'))
    .filter((name) => name !== 'requirements')
    .map((name) => join(root, 'packages', name)),
  join(root, 'tooling', 'stack'),
].filter((dir) => existsSync(join(dir, 'package.json')));

const read = (dir: string): PackageJson => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;

describe.each(libraries.map((dir) => [read(dir).name, dir] as const))('%s', (_name, dir) => {
  const manifest = read(dir);

  it('[ARCH-PACKAGE-SHAPE] exports every entry with types, a default and the source condition', () => {
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+/);
    const entries = Object.entries(manifest.exports ?? {});
    expect(entries.length).toBeGreaterThan(0);
    for (const [subpath, conditions] of entries) {
      expect(Object.keys(conditions), subpath).toEqual(['@ema/source', 'types', 'default']);
      expect(existsSync(join(dir, conditions['@ema/source'] ?? '')), subpath).toBe(true);
    }
    expect(manifest.files).toEqual(expect.arrayContaining(['dist', 'README.md']));
  });

  it('[ARCH-PACKAGE-SHAPE] has a README with a usage example that its typecheck compiles', () => {
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toMatch(/^```ts$/m);
    expect(manifest.scripts?.typecheck).toContain('readme-typecheck');
  });

  it('[ARCH-PACKAGE-SHAPE] is accepted by pnpm pack', () => {
    const output = execFileSync('npx', ['-y', 'pnpm@12.4.2', 'pack', '--dry-run'], { cwd: dir, encoding: 'utf8' });
    expect(output).toContain('Tarball Details');
    expect(output).toContain('README.md');
  });
});
