/**
 * The shape of the package's import graph: each entry loads only what it names (the neutral core no MCP SDK, no
 * JOSE library, no web framework), and no module imports itself back through a circle. Read from the sources, so a
 * new import that breaks either rule fails here.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src', import.meta.url));
const SPECIFIER = /^\s*(?:import|export)\s(?:[^'";]*?\sfrom\s)?'([^']+)'/gm;

/** The relative imports of a source file (as absolute paths) and its package imports. */
function importsOf(file: string): { local: string[]; packages: string[] } {
  const local: string[] = [];
  const packages: string[] = [];
  for (const [, specifier = ''] of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
    if (specifier.startsWith('.')) local.push(join(dirname(file), specifier.replace(/\.js$/, '.ts')));
    else packages.push(specifier);
  }
  return { local, packages };
}

/** Every module reachable from `entry`, with the package imports they make. */
function reachable(entry: string): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (modules.has(file)) return;
    modules.add(file);
    const found = importsOf(file);
    for (const name of found.packages) packages.add(name);
    for (const next of found.local) visit(next);
  };
  visit(entry);
  return { modules, packages };
}

/** A circle of imports among `modules`, as a list of paths, or undefined. */
function findCircle(modules: Iterable<string>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): string[] | undefined => {
    if (state.get(file) === 'done') return undefined;
    if (state.get(file) === 'open') return [...stack.slice(stack.indexOf(file)), file];
    state.set(file, 'open');
    stack.push(file);
    for (const next of importsOf(file).local) {
      const circle = visit(next);
      if (circle) return circle;
    }
    stack.pop();
    state.set(file, 'done');
    return undefined;
  };
  for (const file of modules) {
    const circle = visit(file);
    if (circle) return circle.map((path) => relative(src, path));
  }
  return undefined;
}

describe('entry points', () => {
  it('the core (`.`) imports @ema/protocol, TypeBox and dpop (RFC 9449 proofs) only: no MCP SDK, no jose, no web framework', () => {
    const { packages } = reachable(join(src, 'index.ts'));
    expect([...packages].sort()).toEqual(['@ema/protocol', '@sinclair/typebox', '@sinclair/typebox/value', 'dpop']);
  });

  it('the MCP SDK entry (`./mcp-sdk`) adds the MCP SDK and nothing else', () => {
    const { packages } = reachable(join(src, 'mcp-sdk', 'index.ts'));
    const core = ['dpop'];
    const added = [...packages].filter(
      (name) => !name.startsWith('@ema/') && !name.startsWith('@sinclair/typebox') && !core.includes(name),
    );
    expect(added.length).toBeGreaterThan(0);
    expect(added.filter((name) => !name.startsWith('@modelcontextprotocol/sdk/'))).toEqual([]);
  });

  it('has no import circle', () => {
    const all = new Set([
      ...reachable(join(src, 'index.ts')).modules,
      ...reachable(join(src, 'mcp-sdk', 'index.ts')).modules,
    ]);
    expect(all.size).toBeGreaterThan(20);
    expect(findCircle(all)).toBeUndefined();
  });
});
