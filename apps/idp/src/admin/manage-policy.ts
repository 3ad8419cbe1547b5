import { type IdpContext, nowSeconds } from '../idp-context.js';
import { REQUIRABLE_AMR } from '../oidc/authentication-context.js';
import { withPolicyChange } from '../ssf/revocation-events.js';
import type { PolicyRule, ProtectedResource } from '../storage/directory-types.js';
import { generateId } from '../tokens/opaque-token.js';
import { type AdminActor, auditAdminChange } from './admin-audit.js';
import { adminConflict, adminNotFound, invalidAdminInput } from './admin-errors.js';
import type { PolicyRuleInput, ResourceInput, ResourcePatch } from './admin-schemas.js';

function checkResource(resource: ProtectedResource): void {
  // EMA §7.6.1: audience is the RAS issuer and resource the MCP server's identifier, both exact URLs.
  if (!URL.canParse(resource.audience)) throw invalidAdminInput('audience: must be the RAS issuer URL');
  if (!URL.canParse(resource.resource)) throw invalidAdminInput('resource: must be an absolute URL');
  if (resource.scopes.length === 0) throw invalidAdminInput('scopes: at least one scope is required');
}

/** Registers a protected resource (an MCP server) and the RAS that serves it. */
export function createResource(context: IdpContext, actor: AdminActor, input: ResourceInput): ProtectedResource {
  const { storage } = context;
  if (storage.findResourceById(input.id) !== undefined) throw adminConflict(`resource ${input.id}`);
  if (storage.findResourceByIdentifier(input.resource) !== undefined) throw adminConflict(`resource ${input.resource}`);
  checkResource(input);
  storage.insertResource(input);
  auditAdminChange(context, actor, 'resource.create', { ...input });
  return input;
}

/** Changes a protected resource. */
export function updateResource(
  context: IdpContext,
  actor: AdminActor,
  id: string,
  patch: ResourcePatch,
): ProtectedResource {
  const resource = context.storage.findResourceById(id);
  if (resource === undefined) throw adminNotFound('resource');
  const updated: ProtectedResource = { ...resource, ...patch };
  checkResource(updated);
  const clash = context.storage.findResourceByIdentifier(updated.resource);
  if (clash !== undefined && clash.id !== id) throw adminConflict(`resource ${updated.resource}`);
  // Fewer scopes, or another authorization server, takes grants away: announced to that server's streams.
  withPolicyChange(context, () => context.storage.replaceResource(updated));
  auditAdminChange(context, actor, 'resource.update', { id, ...patch });
  return updated;
}

/** Removes a protected resource and its policy rules. */
export function deleteResource(context: IdpContext, actor: AdminActor, id: string): void {
  if (!withPolicyChange(context, () => context.storage.deleteResource(id))) throw adminNotFound('resource');
  auditAdminChange(context, actor, 'resource.delete', { id });
}

function buildRule(context: IdpContext, input: PolicyRuleInput, id: string, createdAt: number): PolicyRule {
  const { storage } = context;
  const resource = storage.findResourceById(input.resourceId);
  if (resource === undefined) throw invalidAdminInput(`resourceId: unknown resource ${input.resourceId}`);
  const subjectKnown =
    input.subjectType === 'group'
      ? storage.findGroup(input.subject) !== undefined
      : storage.findUserByUsername(input.subject) !== undefined;
  if (!subjectKnown) throw invalidAdminInput(`subject: unknown ${input.subjectType} ${input.subject}`);
  const clientId = input.clientId ?? null;
  if (clientId !== null && storage.findClient(clientId) === undefined)
    throw invalidAdminInput(`clientId: unknown client ${clientId}`);
  const unknown = input.scopes.filter((scope) => !resource.scopes.includes(scope));
  if (unknown.length > 0) throw invalidAdminInput(`scopes: not offered by ${resource.name}: ${unknown.join(' ')}`);
  const maxAuthAgeSeconds = input.maxAuthAgeSeconds ?? null;
  const requiredAmr =
    input.requiredAmr === undefined || input.requiredAmr === null || input.requiredAmr.length === 0
      ? null
      : input.requiredAmr;
  if (input.effect === 'allow' && input.scopes.length === 0)
    throw invalidAdminInput('scopes: an allow rule grants at least one scope');
  // A step-up asks for methods by class (acr_values): a method no class of this IdP guarantees could never be met.
  const unrequirable = (requiredAmr ?? []).filter((method) => !REQUIRABLE_AMR.includes(method));
  if (unrequirable.length > 0) {
    throw invalidAdminInput(
      `requiredAmr: this IdP can require ${REQUIRABLE_AMR.join(', ')} (mfa: a second factor), not ${unrequirable.join(', ')}`,
    );
  }
  if (input.effect === 'deny' && (maxAuthAgeSeconds !== null || requiredAmr !== null)) {
    throw invalidAdminInput('conditions apply to allow rules only');
  }
  return {
    id,
    description: input.description,
    effect: input.effect,
    subjectType: input.subjectType,
    subject: input.subject,
    clientId,
    resourceId: input.resourceId,
    scopes: input.scopes,
    maxAuthAgeSeconds,
    requiredAmr,
    createdAt,
  };
}

/** Adds a policy rule; it applies from the next token exchange on (rules are never cached). */
export function createPolicyRule(context: IdpContext, actor: AdminActor, input: PolicyRuleInput): PolicyRule {
  const id = input.id ?? generateId('rule');
  if (context.storage.findPolicyRule(id) !== undefined) throw adminConflict(`policy rule ${id}`);
  const rule = buildRule(context, input, id, nowSeconds(context));
  // A deny rule takes grants away: every change of rules is diffed and what was lost is announced.
  withPolicyChange(context, () => context.storage.insertPolicyRule(rule));
  auditAdminChange(context, actor, 'policy_rule.create', { ...rule });
  return rule;
}

/** Replaces a policy rule. */
export function replacePolicyRule(
  context: IdpContext,
  actor: AdminActor,
  id: string,
  input: PolicyRuleInput,
): PolicyRule {
  const existing = context.storage.findPolicyRule(id);
  if (existing === undefined) throw adminNotFound('policy rule');
  const rule = buildRule(context, input, id, existing.createdAt);
  withPolicyChange(context, () => context.storage.replacePolicyRule(rule));
  auditAdminChange(context, actor, 'policy_rule.replace', { before: existing, after: rule });
  return rule;
}

/** Removes a policy rule. */
export function deletePolicyRule(context: IdpContext, actor: AdminActor, id: string): void {
  const existing = context.storage.findPolicyRule(id);
  if (existing === undefined || !withPolicyChange(context, () => context.storage.deletePolicyRule(id))) {
    throw adminNotFound('policy rule');
  }
  auditAdminChange(context, actor, 'policy_rule.delete', { rule: existing });
}
