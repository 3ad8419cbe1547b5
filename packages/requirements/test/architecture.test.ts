/**
 * The import rules of the architecture, checked on the sources: no app imports another app, the MCP server reaches
 * the OAuth server kit only through its neutral and runtime entry points, and there is no import circle anywhere.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const APPS = ['idp', 'authorization-server', 'mcp-server', 'agent-host'];

function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    // Dependencies and build output are not this repository's sources (and walking them is slow).
    if (entry === 'node_modules' || entry === 'dist') continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...sourceFiles(path));
    else if (entry.endsWith('.ts') && !entry.endsWith('.d.ts')) found.push(path);
  }
  return found;
}

/** The module specifiers a file imports or re-exports (static and dynamic). */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'/g))
    found.push(match[1] ?? '');
  for (const match of text.matchAll(/(?:^|\n)\s*import\s+'([^']+)'/g)) found.push(match[1] ?? '');
  for (const match of text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) found.push(match[1] ?? '');
  return found;
}

const srcDirs = [
  ...APPS.map((app) => join(root, 'apps', app, 'src')),
  ...readdirSync(join(root, 'packages')).map((name) => join(root, 'packages', name, 'src')),
  ...readdirSync(join(root, 'examples')).map((name) => join(root, 'examples', name, 'src')),
  join(root, 'tooling', 'stack', 'src'),
  join(root, 'benchmarks', 'src'),
].filter((dir) => {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
});

describe('architecture', () => {
  it('[ARCH-NO-APP-IMPORTS-APP] no app imports another app', () => {
    const offending: string[] = [];
    for (const app of APPS) {
      for (const file of sourceFiles(join(root, 'apps', app))) {
        for (const specifier of specifiers(file)) {
          const other = APPS.find((name) => name !== app && specifier.startsWith(`@ema/${name}`));
          if (other) offending.push(`${relative(root, file)} -> ${specifier}`);
        }
      }
    }
    expect(offending).toEqual([]);
  });

  it('[ARCH-NO-APP-IMPORTS-APP] the MCP server reaches the OAuth server kit only through its neutral and runtime entries', () => {
    const used = new Set<string>();
    for (const file of sourceFiles(join(root, 'apps', 'mcp-server', 'src'))) {
      for (const specifier of specifiers(file)) if (specifier.startsWith('@ema/oauth-server')) used.add(specifier);
    }
    expect(
      [...used].filter((specifier) => !['@ema/oauth-server', '@ema/oauth-server/runtime'].includes(specifier)),
    ).toEqual([]);
  });

  it('[ARCH-NO-IMPORT-CIRCLE] no import circle in any app, package or example', () => {
    const circles: string[] = [];
    for (const dir of srcDirs) {
      const graph = new Map<string, string[]>();
      for (const file of sourceFiles(dir)) {
        const local = specifiers(file)
          .filter((specifier) => specifier.startsWith('.'))
          .map((specifier) => resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
        graph.set(file, local);
      }
      const state = new Map<string, 'visiting' | 'done'>();
      const visit = (file: string, path: string[]): void => {
        if (state.get(file) === 'done') return;
        if (state.get(file) === 'visiting') {
          circles.push([...path.slice(path.indexOf(file)), file].map((entry) => relative(root, entry)).join(' -> '));
          return;
        }
        state.set(file, 'visiting');
        for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
        state.set(file, 'done');
      };
      for (const file of graph.keys()) visit(file, []);
    }
    expect(circles).toEqual([]);
  });
});
