/**
 * The root export is the framework-neutral core: none of its modules imports a web framework or the MCP SDK, so an
 * implementer on Express, Hono or plain `node:http` can lift it whole. Only `src/fastify/` may import Fastify.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src', import.meta.url));
const FORBIDDEN = /^(?:fastify|fastify-plugin|@fastify\/.*|@modelcontextprotocol\/sdk(?:\/.*)?|express|hono)$/;

function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/^(?:import|export)[^'"]*from '([^']+)';$/gm)].map((match) => match[1] ?? '');
}

describe('the neutral core', () => {
  const core = readdirSync(src).filter((name) => name.endsWith('.ts'));

  it('has modules, and every one of them imports only neutral modules', () => {
    expect(core).toContain('index.ts');
    expect(core).toContain('verify-bearer-token.ts');
    for (const file of core) {
      const imports = importsOf(join(src, file));
      expect(
        imports.filter((specifier) => FORBIDDEN.test(specifier)),
        file,
      ).toStrictEqual([]);
      // Relative imports stay inside the core, never reaching into the adapter.
      expect(
        imports.filter((specifier) => specifier.startsWith('./fastify')),
        file,
      ).toStrictEqual([]);
    }
  });

  it('is what the Fastify adapter is built on (the check above would notice an adapter import)', () => {
    const adapter = importsOf(join(src, 'fastify', 'bearer-authentication.ts'));
    expect(adapter.filter((specifier) => FORBIDDEN.test(specifier))).toStrictEqual(['fastify', 'fastify-plugin']);
  });
});
