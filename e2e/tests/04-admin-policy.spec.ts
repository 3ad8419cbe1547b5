import { expect, test } from '@playwright/test';
import { ACME_TICKETS, USERS } from '../stack/demo-world.js';
import { AgentHost } from './support/agent-host.js';
import { IdpAdminConsole, type PolicyRuleForm, readAuditEntries } from './support/idp-admin-console.js';
import { savePageScreenshot } from './support/screenshots.js';

/** The seeded rule that keeps contractors out (docs/demo-world.md "Policy"); deny rules win, so granting access removes it. */
const SEEDED_DENY: PolicyRuleForm = {
  id: 'contractors-no-tickets',
  description: 'Contractors have no access to Acme Tickets',
  effect: 'deny',
  subjectType: 'group',
  subject: 'contractors',
  resourceName: ACME_TICKETS,
  scopes: '',
};

const CONTRACTORS_READ: PolicyRuleForm = {
  id: 'e2e-contractors-read',
  description: 'Contractors may read tickets',
  effect: 'allow',
  subjectType: 'group',
  subject: 'contractors',
  resourceName: ACME_TICKETS,
  scopes: 'tickets.read',
};

test.describe('The administrator changes policy in the IdP console', () => {
  test('[E2E-POLICY-CHANGE-APPLIES] [E2E-AUDIT-TRAIL] grants contractors read access, Carol lists tickets, the grant is removed and her next token is refused; the audit log shows it all', async ({
    browser,
  }) => {
    const admin = await IdpAdminConsole.open(browser);
    const carol = await AgentHost.signIn(browser, USERS.carol);
    try {
      const carolId = await admin.userId(USERS.carol.username);
      expect(carolId).not.toBe('');
      const [newest] = await readAuditEntries(await admin.auditLog());
      const since = newest?.id ?? 0;

      // Before: the seeded policy keeps Carol out.
      await carol.connect();
      await expect(carol.message('policy-denial')).toBeVisible();

      // The admin grants contractors read access (the deny rule must go: deny rules win).
      await admin.deletePolicyRule(SEEDED_DENY.id);
      await admin.addPolicyRule(CONTRACTORS_READ);
      await savePageScreenshot(admin.page, 'idp-admin-console', 900);

      // ID-JAG §4.3.3: policy is evaluated at each exchange, so Carol's reconnection gets read access at once.
      await carol.connect();
      await carol.expectConnected();
      await expect(carol.message('policy-denial')).toHaveCount(0);
      await expect(carol.page.getByTestId('granted-scopes')).toHaveText(/tickets\.read/);
      await expect(carol.page.getByTestId('granted-scopes')).not.toHaveText(/tickets\.write/);
      const listed = await carol.callTool('list_tickets');
      await expect(listed).toBeVisible();
      await expect(listed.getByTestId('tool-error')).toHaveCount(0);

      // The admin removes the grant; Carol's next new token is refused.
      await admin.deletePolicyRule(CONTRACTORS_READ.id);
      await carol.connect();
      await expect(carol.message('policy-denial')).toBeVisible();
      await expect(carol.connectionStatus()).toHaveText('Not connected');

      // The audit log shows each change and each of Carol's exchanges, in order.
      const exchanges = (await readAuditEntries(await admin.auditLog({ type: 'id_jag.exchange', subject: carolId })))
        .filter((entry) => entry.id > since)
        .reverse();
      expect(exchanges.map((entry) => entry.outcome).join(' ')).toMatch(/^deny( allow)+ deny$/);
      const everything = (await readAuditEntries(await admin.auditLog())).filter((entry) => entry.id > since).reverse();
      const story = everything
        .filter((entry) => entry.type.startsWith('admin.policy_rule') || entry.type === 'id_jag.exchange')
        .map((entry) => `${entry.type}:${entry.outcome}`);
      expect(story.join(' ')).toMatch(
        /^id_jag\.exchange:deny admin\.policy_rule\.delete:success admin\.policy_rule\.create:success( id_jag\.exchange:allow)+ admin\.policy_rule\.delete:success id_jag\.exchange:deny$/,
      );
      const changes = everything.filter((entry) => entry.type.startsWith('admin.policy_rule'));
      for (const change of changes) expect(change.actor).toBe(USERS.admin.username);
      expect(changes[0]?.details).toContain(SEEDED_DENY.id);
      expect(changes[1]?.details).toContain(CONTRACTORS_READ.id);
      expect(changes[2]?.details).toContain(CONTRACTORS_READ.id);
    } finally {
      // Leave the seeded policy as it was, whatever happened above.
      if (await admin.hasPolicyRule(CONTRACTORS_READ.id)) await admin.deletePolicyRule(CONTRACTORS_READ.id);
      if (!(await admin.hasPolicyRule(SEEDED_DENY.id))) await admin.addPolicyRule(SEEDED_DENY);
      await carol.close();
      await admin.close();
    }
  });
});
