#!/usr/bin/env node
// Typechecks the ```ts code blocks of the README.md in the current folder, each as a module of this package (so its
// imports resolve as a user's would: by package name, through the package's own `exports`). A README's usage example
// then cannot drift from the code. A block that is not meant to compile is marked ```text (or another language).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const readme = join(process.cwd(), 'README.md');
if (!existsSync(readme)) {
  console.error(`readme-typecheck: no README.md in ${process.cwd()}`);
  process.exit(1);
}
const blocks = [...readFileSync(readme, 'utf8').matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
if (blocks.length === 0) {
  console.log('readme-typecheck: README.md has no ```ts block');
  process.exit(0);
}

// Inside the package, so resolution and compiler options are the package's own. Dot-named: no tool picks it up.
const dir = join(process.cwd(), '.readme-typecheck');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir);
try {
  blocks.forEach((code, index) => {
    writeFileSync(join(dir, `block-${index + 1}.ts`), `${code}\nexport {};\n`);
  });
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ extends: '../tsconfig.json', compilerOptions: { noEmit: true }, include: ['*.ts'] }),
  );
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`readme-typecheck: a \`\`\`ts block of ${readme} does not typecheck (block-N.ts is the N-th block)`);
    process.exit(1);
  }
  console.log(`readme-typecheck: ${blocks.length} block(s) of README.md typecheck`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
