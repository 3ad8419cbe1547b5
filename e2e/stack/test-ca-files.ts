/**
 * The test CA of the browser suite: made by the global setup at run time (never committed), written to a temporary
 * directory, trusted by the stack's processes through NODE_EXTRA_CA_CERTS, and read back by tests that serve Client
 * ID Metadata Documents over HTTPS.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCertificates } from '@ema/test-ca';

/** Where the tests find the directory of the test CA (`certificates.json`, `ca.pem`). */
export const TEST_CA_FILES_ENV = 'EMA_E2E_TEST_CA_DIR';

/** Makes the test CA and its server certificate; returns the directory and the CA file for NODE_EXTRA_CA_CERTS. */
export async function writeTestCertificates(): Promise<{ dir: string; caFile: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'ema-e2e-ca-'));
  const certificates = await createTestCertificates();
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, certificates.caCert);
  writeFileSync(join(dir, 'certificates.json'), JSON.stringify(certificates), { mode: 0o600 });
  return { dir, caFile };
}
