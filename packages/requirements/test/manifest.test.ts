/**
 * The requirements manifest check. Each file in `clauses/` lists spec clauses this project implements, as
 * `{ "id", "source", "section", "requirement" }`. A test proves a clause by carrying its id in brackets in its
 * title, for example `it('[IDJAG-RAS-AUD-EXACT] refuses an aud with a trailing slash', …)`. This test fails when a
 * listed clause is cited by no test, or when a test cites an id the manifest does not list.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

interface Clause {
  id: string;
  source: string;
  section: string;
  requirement: string;
}

const root = fileURLToPath(new URL('../../..', import.meta.url));
const selfPath = fileURLToPath(import.meta.url);
const clausesDir = fileURLToPath(new URL('../clauses', import.meta.url));

function loadClauses(): Clause[] {
  return readdirSync(clausesDir)
    .filter((file) => file.endsWith('.json'))
    .flatMap((file) => JSON.parse(readFileSync(join(clausesDir, file), 'utf8')) as Clause[]);
}

function testFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...testFiles(path));
    else if (/\.(test|spec)\.ts$/.test(entry) && path !== selfPath) found.push(path);
  }
  return found;
}

const citation = /\[([A-Z][A-Z0-9]*(?:-[A-Z0-9.]+)+)\]/g;

function citations(): Map<string, string[]> {
  const cited = new Map<string, string[]>();
  for (const dir of ['packages', 'apps', 'examples', 'integration', 'tooling', 'e2e', 'benchmarks']) {
    for (const file of testFiles(join(root, dir))) {
      for (const match of readFileSync(file, 'utf8').matchAll(citation)) {
        const id = match[1] ?? '';
        cited.set(id, [...(cited.get(id) ?? []), relative(root, file)]);
      }
    }
  }
  return cited;
}

describe('requirements manifest', () => {
  const clauses = loadClauses();
  const cited = citations();

  it('lists each clause once, with a source, a section and the requirement', () => {
    const ids = clauses.map((clause) => clause.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const clause of clauses) {
      expect(clause.source, clause.id).toMatch(/\S/);
      expect(clause.section, clause.id).toMatch(/\S/);
      expect(clause.requirement, clause.id).toMatch(/\S/);
    }
  });

  it('has every listed clause cited by at least one test', () => {
    const uncited = clauses.filter((clause) => !cited.has(clause.id)).map((clause) => clause.id);
    expect(uncited).toEqual([]);
  });

  it('has every cited id listed in the manifest', () => {
    const known = new Set(clauses.map((clause) => clause.id));
    const unknown = [...cited.keys()].filter((id) => !known.has(id));
    expect(unknown).toEqual([]);
  });
});
