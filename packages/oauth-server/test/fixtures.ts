import { hashClientSecret, type RegisteredClient } from '../src/index.js';

/** Demo clients for the tests: one confidential client with a secret full of special characters, one public. */
export interface TestClient extends RegisteredClient {
  name: string;
}

export const CONFIDENTIAL_SECRET = 'p@ss:w0rd+/ü%';
export const clients: readonly TestClient[] = [
  { clientId: 'agent:host', secretHash: hashClientSecret(CONFIDENTIAL_SECRET), name: 'Agent host' },
  { clientId: 'simple', secretHash: hashClientSecret('simple-secret'), name: 'Simple' },
  { clientId: 'public-app', secretHash: null, name: 'Public' },
];

export function findClient(clientId: string): TestClient | undefined {
  return clients.find((client) => client.clientId === clientId);
}

/** RFC 6749 §2.3.1: form-url-encode id and secret, then Basic. */
export function basic(clientId: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replaceAll('%20', '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString('base64')}`;
}

export function form(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}
