/**
 * The RAS registries behind a narrow storage interface: trusted IdPs, resources (MCP servers), clients, and which
 * resources and scopes each client may obtain.
 */
import type { AuthorizationDetailType, RegisteredClient, ResourceForClient } from '@ema/oauth-server';

/** An IdP whose ID-JAGs this RAS accepts (ID-JAG §4.4.1: explicitly configured, never implied). */
export interface TrustedIdp {
  issuer: string;
  jwksUri: string;
  /** RFC 8725 §3.1: the asymmetric algorithms accepted from this issuer. */
  algorithms: string[];
  /** ID-JAG §6.1: the tenants a multi-tenant issuer is trusted for; empty for a single-tenant issuer. */
  tenants: string[];
  createdAt: number;
}

/** An MCP server this RAS issues access tokens for (RFC 8707 resource identifier). */
export interface Resource {
  resource: string;
  name: string;
  scopes: string[];
  /** RFC 9396: the authorization details types the resource understands (an ID-JAG with another is refused). */
  authorizationDetailTypes: AuthorizationDetailType[];
  createdAt: number;
}

/** A trusted IdP to store; no `tenants`: a single-tenant issuer. */
export type TrustedIdpInput = Omit<TrustedIdp, 'createdAt' | 'tenants'> & { tenants?: string[] };

/** A resource to store; no `authorizationDetailTypes`: it understands none. */
export type ResourceInput = Omit<Resource, 'createdAt' | 'authorizationDetailTypes'> & {
  authorizationDetailTypes?: AuthorizationDetailType[];
};

/** A client registered at this RAS. `secretHash` is `null` for a public client. */
export interface RasClient extends RegisteredClient {
  name: string;
  createdAt: number;
}

/** The scopes a client may obtain at one resource. */
export interface ClientResourceGrant {
  clientId: string;
  resource: string;
  scopes: string[];
}

/**
 * Storage of the RAS registries. `findTrustedIdp` and `findResourceForClient` are the seams of the jwt-bearer grant
 * of `@ema/oauth-server` (`TrustedIdpRegistry`, `ResourceRegistry`).
 */
export interface RegistryStorage {
  findTrustedIdp(issuer: string): TrustedIdp | undefined;
  listTrustedIdps(): TrustedIdp[];
  upsertTrustedIdp(idp: TrustedIdpInput, now: number): void;
  insertTrustedIdpIfAbsent(idp: TrustedIdpInput, now: number): void;
  deleteTrustedIdp(issuer: string): boolean;

  findResource(resource: string): Resource | undefined;
  findResourceForClient(resource: string, clientId: string): ResourceForClient | undefined;
  listResources(): Resource[];
  upsertResource(resource: ResourceInput, now: number): void;
  insertResourceIfAbsent(resource: ResourceInput, now: number): void;
  deleteResource(resource: string): boolean;

  findClient(clientId: string): RasClient | undefined;
  listClients(): RasClient[];
  /** Returns `false` when the client id is taken. */
  insertClient(client: Omit<RasClient, 'createdAt'>, now: number): boolean;
  setClientSecretHash(clientId: string, secretHash: string | null): boolean;
  deleteClient(clientId: string): boolean;

  listClientGrants(clientId?: string): ClientResourceGrant[];
  upsertClientGrant(grant: ClientResourceGrant): void;
  insertClientGrantIfAbsent(grant: ClientResourceGrant): void;
  deleteClientGrant(clientId: string, resource: string): boolean;
}
