import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { generateSecret, readOrCreateSecretFile, writeSecretFile } from '../../src/runtime/secret-file.js';

const dir = (): string => mkdtempSync(join(tmpdir(), 'secret-file-'));
const modeOf = (file: string): number => statSync(file).mode & 0o777;

describe('secret files', () => {
  it('[DEV-SECRETS-GENERATED] generates 256-bit secrets, never the same twice', () => {
    const secrets = new Set(Array.from({ length: 100 }, () => generateSecret()));
    expect(secrets.size).toBe(100);
    for (const secret of secrets) expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('[DEV-SECRETS-GENERATED] creates a secret once per data directory, readable by its owner only, and keeps it', () => {
    const file = join(dir(), 'nested', 'session-secret');
    const first = readOrCreateSecretFile(file);
    expect(modeOf(file)).toBe(0o600);
    expect(readOrCreateSecretFile(file)).toBe(first);
    expect(readOrCreateSecretFile(join(dir(), 'session-secret'))).not.toBe(first);
  });

  it('refuses a kept secret that is too short rather than using it', () => {
    const file = join(dir(), 'session-secret');
    writeFileSync(file, 'short\n');
    expect(() => readOrCreateSecretFile(file)).toThrow(ConfigError);
    expect(() => readOrCreateSecretFile(file)).toThrow(/at least 32 characters/);
  });

  it('[DEV-SECRETS-GENERATED] replaces a per-boot secret file atomically with mode 0600', () => {
    const file = join(dir(), 'admin-api-token');
    writeFileSync(file, 'old', { mode: 0o644 });
    writeSecretFile(file, 'new-secret');
    expect(readFileSync(file, 'utf8')).toBe('new-secret\n');
    expect(modeOf(file)).toBe(0o600);
  });
});
