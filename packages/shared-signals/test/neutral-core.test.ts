/**
 * The root export is the framework- and driver-neutral core: none of its modules imports a web framework or a
 * database driver. Only `src/fastify*` may import Fastify. The SQL stores (`src/sqlite*`) import no driver either:
 * they are written against `SqlDatabase` of `@ema/storage`, which a better-sqlite3 connection and a `PostgresDatabase`
 * both are.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src', import.meta.url));
const FORBIDDEN = /^(?:fastify|fastify-plugin|@fastify\/.*|better-sqlite3|pg|@ema\/storage\/(?:sqlite|postgres))$/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/^(?:import|export)[^'"]*from '([^']+)';$/gm)].map((match) => match[1] ?? '');
}

describe('the neutral core', () => {
  const core = files(src).filter((file) => !/^fastify/.test(relative(src, file)));

  it('[SSF-NEUTRAL-CORE] imports no framework and no database driver, the SQL stores included', () => {
    expect(core.length).toBeGreaterThan(10);
    for (const file of core) {
      expect(
        importsOf(file).filter((specifier) => FORBIDDEN.test(specifier)),
        relative(src, file),
      ).toEqual([]);
    }
  });

  it('[SSF-NEUTRAL-CORE] the check would notice: the adapters do import what the core may not', () => {
    expect(importsOf(join(src, 'fastify', 'push-endpoint.ts'))).toContain('@fastify/rate-limit');
    expect(importsOf(join(src, 'sqlite', 'sqlite-outbox.ts'))).toContain('@ema/storage');
  });
});
