import { generateClientSecret, hashClientSecret } from '@ema/oauth-server';
import { ConfigError, checkTransportSecurity } from '@ema/oauth-server/runtime';
import { type IdpContext, nowSeconds } from '../idp-context.js';
import type { IdpClient } from '../storage/directory-types.js';
import { type AdminActor, auditAdminChange } from './admin-audit.js';
import { adminConflict, adminNotFound, invalidAdminInput } from './admin-errors.js';
import type { ClientInput, ClientPatch } from './admin-schemas.js';

/** A client as the admin API shows it: never the secret hash. */
export type ClientView = Omit<IdpClient, 'secretHash'> & { readonly confidential: boolean };

/** Hides the secret hash. */
export function clientView(client: IdpClient): ClientView {
  const { secretHash, ...rest } = client;
  return { ...rest, confidential: secretHash !== null };
}

// RFC 9700 §2.1 / §4.1.3: redirect URIs are absolute, fragment-free, https (or loopback http in development).
function checkUris(context: IdpContext, field: string, uris: readonly string[]): void {
  for (const [index, uri] of uris.entries()) {
    const path = `${field}[${index}]`;
    if (!URL.canParse(uri) || new URL(uri).hash !== '')
      throw invalidAdminInput(`${path}: must be an absolute URL without fragment`);
    try {
      checkTransportSecurity(uri, path, { allowInsecureLoopback: context.config.allowInsecureLoopback });
    } catch (error) {
      if (error instanceof ConfigError) throw invalidAdminInput(error.message);
      throw error;
    }
  }
}

function checkRasClientIds(ids: Readonly<Record<string, string>>): void {
  for (const audience of Object.keys(ids)) {
    if (!URL.canParse(audience)) throw invalidAdminInput(`rasClientIds: ${audience} is not an issuer URL`);
  }
}

/** Registers a confidential client and returns its generated secret (shown once; only its SHA-256 is kept). */
export function createClient(
  context: IdpContext,
  actor: AdminActor,
  input: ClientInput,
): { client: ClientView; clientSecret: string } {
  if (context.storage.findClient(input.clientId) !== undefined) throw adminConflict(`client ${input.clientId}`);
  checkUris(context, 'redirectUris', input.redirectUris);
  checkUris(context, 'postLogoutRedirectUris', input.postLogoutRedirectUris ?? []);
  checkRasClientIds(input.rasClientIds);
  const clientSecret = generateClientSecret();
  const client: IdpClient = {
    clientId: input.clientId,
    secretHash: hashClientSecret(clientSecret),
    name: input.name,
    redirectUris: input.redirectUris,
    postLogoutRedirectUris: input.postLogoutRedirectUris ?? [],
    mayRequestIdJag: input.mayRequestIdJag,
    rasClientIds: input.rasClientIds,
    createdAt: nowSeconds(context),
  };
  context.storage.insertClient(client);
  auditAdminChange(context, actor, 'client.create', { ...clientView(client) });
  return { client: clientView(client), clientSecret };
}

/** Changes a client's registration (not its id or secret). */
export function updateClient(context: IdpContext, actor: AdminActor, clientId: string, patch: ClientPatch): ClientView {
  const client = context.storage.findClient(clientId);
  if (client === undefined) throw adminNotFound('client');
  if (patch.redirectUris !== undefined) checkUris(context, 'redirectUris', patch.redirectUris);
  if (patch.postLogoutRedirectUris !== undefined)
    checkUris(context, 'postLogoutRedirectUris', patch.postLogoutRedirectUris);
  if (patch.rasClientIds !== undefined) checkRasClientIds(patch.rasClientIds);
  const updated: IdpClient = { ...client, ...patch };
  context.storage.replaceClient(updated);
  auditAdminChange(context, actor, 'client.update', { clientId, ...patch });
  return clientView(updated);
}

/** Issues a new secret for a client; the old one stops working at once. */
export function rotateClientSecret(context: IdpContext, actor: AdminActor, clientId: string): { clientSecret: string } {
  const client = context.storage.findClient(clientId);
  if (client === undefined) throw adminNotFound('client');
  const clientSecret = generateClientSecret();
  context.storage.replaceClient({ ...client, secretHash: hashClientSecret(clientSecret) });
  auditAdminChange(context, actor, 'client.rotate_secret', { clientId });
  return { clientSecret };
}

/** Removes a client registration. */
export function deleteClient(context: IdpContext, actor: AdminActor, clientId: string): void {
  if (!context.storage.deleteClient(clientId)) throw adminNotFound('client');
  auditAdminChange(context, actor, 'client.delete', { clientId });
}
