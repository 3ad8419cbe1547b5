import type { SqlDatabase } from '@ema/storage';
import type { PolicyRule, ProtectedResource } from '../directory-types.js';
import type { PolicyStorage } from '../idp-storage.js';
import { readStringArray } from './json-columns.js';
import { isStorableText } from './text-keys.js';

interface ResourceRow {
  id: string;
  name: string;
  audience: string;
  resource: string;
  scopes: string;
}

interface RuleRow {
  id: string;
  description: string;
  effect: 'allow' | 'deny';
  subject_type: 'user' | 'group';
  subject: string;
  client_id: string | null;
  resource_id: string;
  scopes: string;
  max_auth_age_seconds: number | null;
  required_amr: string | null;
  created_at: number;
}

const toResource = (row: ResourceRow): ProtectedResource => ({ ...row, scopes: readStringArray(row.scopes) });
const resourceRow = (resource: ProtectedResource): ResourceRow => ({
  ...resource,
  scopes: JSON.stringify(resource.scopes),
});

const toRule = (row: RuleRow): PolicyRule => ({
  id: row.id,
  description: row.description,
  effect: row.effect,
  subjectType: row.subject_type,
  subject: row.subject,
  clientId: row.client_id,
  resourceId: row.resource_id,
  scopes: readStringArray(row.scopes),
  maxAuthAgeSeconds: row.max_auth_age_seconds,
  requiredAmr: row.required_amr === null ? null : readStringArray(row.required_amr),
  createdAt: row.created_at,
});
const ruleRow = (rule: PolicyRule): RuleRow => ({
  id: rule.id,
  description: rule.description,
  effect: rule.effect,
  subject_type: rule.subjectType,
  subject: rule.subject,
  client_id: rule.clientId,
  resource_id: rule.resourceId,
  scopes: JSON.stringify(rule.scopes),
  max_auth_age_seconds: rule.maxAuthAgeSeconds,
  required_amr: rule.requiredAmr === null ? null : JSON.stringify(rule.requiredAmr),
  created_at: rule.createdAt,
});

/**
 * Resources and policy rules (SQLite or PostgreSQL). Rules are always read fresh here (the cache is
 * `withAdminDataCache`'s), so a change applies at the next exchange.
 */
export function createSqlitePolicyStorage(db: SqlDatabase): PolicyStorage {
  const allResources = db.prepare<[], ResourceRow>('SELECT * FROM resources ORDER BY name');
  const resourceById = db.prepare<[string], ResourceRow>('SELECT * FROM resources WHERE id = ?');
  const resourceByIdentifier = db.prepare<[string], ResourceRow>('SELECT * FROM resources WHERE resource = ?');
  const insertResource = db.prepare<[ResourceRow]>(
    'INSERT INTO resources (id, name, audience, resource, scopes) VALUES (@id, @name, @audience, @resource, @scopes)',
  );
  const replaceResource = db.prepare<[ResourceRow]>(
    'UPDATE resources SET name = @name, audience = @audience, resource = @resource, scopes = @scopes WHERE id = @id',
  );
  const deleteResource = db.prepare<[string]>('DELETE FROM resources WHERE id = ?');
  const allRules = db.prepare<[], RuleRow>('SELECT * FROM policy_rules ORDER BY created_at, id');
  const rulesForResource = db.prepare<[string], RuleRow>(
    'SELECT * FROM policy_rules WHERE resource_id = ? ORDER BY created_at, id',
  );
  const ruleById = db.prepare<[string], RuleRow>('SELECT * FROM policy_rules WHERE id = ?');
  const insertRule = db.prepare<[RuleRow]>(
    `INSERT INTO policy_rules (id, description, effect, subject_type, subject, client_id, resource_id, scopes,
       max_auth_age_seconds, required_amr, created_at)
     VALUES (@id, @description, @effect, @subject_type, @subject, @client_id, @resource_id, @scopes,
       @max_auth_age_seconds, @required_amr, @created_at)`,
  );
  const replaceRule = db.prepare<[RuleRow]>(
    `UPDATE policy_rules SET description = @description, effect = @effect, subject_type = @subject_type,
       subject = @subject, client_id = @client_id, resource_id = @resource_id, scopes = @scopes,
       max_auth_age_seconds = @max_auth_age_seconds, required_amr = @required_amr
     WHERE id = @id`,
  );
  const deleteRule = db.prepare<[string]>('DELETE FROM policy_rules WHERE id = ?');
  return {
    listResources: () => allResources.all().map(toResource),
    findResourceById: (id) => {
      const row = isStorableText(id) ? resourceById.get(id) : undefined;
      return row === undefined ? undefined : toResource(row);
    },
    findResourceByIdentifier: (resource) => {
      const row = isStorableText(resource) ? resourceByIdentifier.get(resource) : undefined;
      return row === undefined ? undefined : toResource(row);
    },
    insertResource: (resource) => {
      insertResource.run(resourceRow(resource));
    },
    replaceResource: (resource) => replaceResource.run(resourceRow(resource)).changes === 1,
    deleteResource: (id) => deleteResource.run(id).changes === 1,
    listPolicyRules: () => allRules.all().map(toRule),
    policyRulesForResource: (resourceId) => rulesForResource.all(resourceId).map(toRule),
    findPolicyRule: (id) => {
      const row = isStorableText(id) ? ruleById.get(id) : undefined;
      return row === undefined ? undefined : toRule(row);
    },
    insertPolicyRule: (rule) => {
      insertRule.run(ruleRow(rule));
    },
    replacePolicyRule: (rule) => replaceRule.run(ruleRow(rule)).changes === 1,
    deletePolicyRule: (id) => deleteRule.run(id).changes === 1,
  };
}
