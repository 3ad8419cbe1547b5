import { fileURLToPath } from 'node:url';

/**
 * The repository root: this module is `tooling/stack/src/repository-root.ts`, or `tooling/stack/dist/…` once built,
 * three levels below it either way.
 */
export const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
