import { type Browser, type BrowserContext, expect, type Locator, type Page } from '@playwright/test';
import { URLS, USERS } from '../../stack/demo-world.js';
import { signInAtIdp } from './idp-sign-in.js';

/** A policy rule as the console's "Add rule" form takes it. */
export interface PolicyRuleForm {
  readonly id: string;
  readonly description: string;
  readonly effect: 'allow' | 'deny';
  readonly subjectType: 'group' | 'user';
  readonly subject: string;
  /** The resource, by the name the console shows. */
  readonly resourceName: string;
  /** Space-separated; empty on a deny rule means the whole resource. */
  readonly scopes: string;
}

/** The IdP admin console, driven through its pages by the demo administrator (DEMO.md: `admin`, it-admins). */
export class IdpAdminConsole {
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  /** Opens the console in its own browser context: `/admin` sends an anonymous visitor to the IdP sign-in. */
  static async open(browser: Browser): Promise<IdpAdminConsole> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${URLS.idp}/admin`);
    await expect(page).toHaveURL((url) => url.pathname === '/login');
    await signInAtIdp(page, USERS.admin);
    await expect(page).toHaveURL(`${URLS.idp}/admin`);
    await expect(page.getByRole('heading', { name: 'Admin console' })).toBeVisible();
    return new IdpAdminConsole(context, page);
  }

  async close(): Promise<void> {
    await this.context.close();
  }

  /** Goes to a console section through its navigation link, like a person would. */
  async section(name: 'Users' | 'Groups' | 'Clients' | 'Resources' | 'Policy' | 'Audit log' | 'Signing keys') {
    await this.page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
    await expect(this.page.getByRole('heading', { level: 1, name })).toBeVisible();
  }

  /** The row of the policy table that shows the rule. */
  policyRow(id: string): Locator {
    return this.page.getByRole('row').filter({ has: this.page.getByText(id, { exact: true }) });
  }

  /** Adds a policy rule through the "Add rule" form. */
  async addPolicyRule(rule: PolicyRuleForm): Promise<void> {
    await this.section('Policy');
    const form = this.page.locator('form').filter({ has: this.page.getByRole('button', { name: 'Add rule' }) });
    await form.getByLabel('Rule ID (optional)', { exact: true }).fill(rule.id);
    await form.getByLabel('Description', { exact: true }).fill(rule.description);
    await form.getByLabel('Effect', { exact: true }).selectOption(rule.effect);
    await form.getByLabel('Subject type', { exact: true }).selectOption(rule.subjectType);
    await form.getByLabel('Subject (group name or username)', { exact: true }).fill(rule.subject);
    await form.getByLabel('Resource', { exact: true }).selectOption({ label: rule.resourceName });
    await form.getByLabel(/^Scopes/).fill(rule.scopes);
    await form.getByRole('button', { name: 'Add rule' }).click();
    await expect(this.page.getByRole('status')).toHaveText('Created.');
    await expect(this.policyRow(rule.id)).toBeVisible();
  }

  /** Deletes a policy rule with its "Delete rule" button. */
  async deletePolicyRule(id: string): Promise<void> {
    await this.section('Policy');
    await this.page.getByRole('button', { name: `Delete rule ${id}`, exact: true }).click();
    await expect(this.page.getByRole('status')).toHaveText('Deleted.');
    await expect(this.policyRow(id)).toHaveCount(0);
  }

  /** Rotates the IdP's signing key; returns the old and the new key id as the page shows them. */
  async rotateSigningKey(): Promise<{ before: string; after: string }> {
    await this.section('Signing keys');
    const current = this.page.locator('#current-kid');
    const before = (await current.textContent()) ?? '';
    await this.page.getByRole('button', { name: 'Rotate signing key' }).click();
    await expect(this.page.getByRole('status')).toContainText('Signing key rotated');
    await expect(current).not.toHaveText(before);
    return { before, after: (await current.textContent()) ?? '' };
  }

  /** A user's id at the IdP, as the Users page shows it under the username (the audit log's subject). */
  async userId(username: string): Promise<string> {
    await this.section('Users');
    const row = this.page.getByRole('row').filter({ has: this.page.getByText(username, { exact: true }) });
    return ((await row.locator('code').first().textContent()) ?? '').trim();
  }

  /** Disables (or enables again) a user with the "Disabled" box of their row and its "Save" button. */
  async setUserDisabled(username: string, disabled: boolean): Promise<void> {
    await this.section('Users');
    const row = this.page.getByRole('row').filter({ has: this.page.getByText(username, { exact: true }) });
    const box = row.getByRole('checkbox', { name: 'Disabled' });
    if (disabled) await box.check();
    else await box.uncheck();
    await row.getByRole('button', { name: `Save ${username}`, exact: true }).click();
    await expect(this.page.getByRole('status')).toHaveText('Saved.');
  }

  /** How many passkeys the Users page says a user has. */
  async passkeyCount(username: string): Promise<number> {
    await this.section('Users');
    const text = (await this.page.getByTestId(`passkeys-${username}`).textContent()) ?? '';
    return Number(/Passkeys: (\d+)/.exec(text)?.[1] ?? Number.NaN);
  }

  /** Recovery: removes every passkey of a user with the Users page's "Reset passkeys <username>" button. */
  async resetPasskeys(username: string): Promise<void> {
    await this.section('Users');
    await this.page.getByRole('button', { name: `Reset passkeys ${username}`, exact: true }).click();
    await expect(this.page.getByRole('status')).toContainText('Passkeys reset');
  }

  /** Whether the policy table lists the rule. */
  async hasPolicyRule(id: string): Promise<boolean> {
    await this.section('Policy');
    return (await this.policyRow(id).count()) > 0;
  }

  /** Shows the audit log, filtered like a person would with the page's form (empty fields: no filter). */
  async auditLog(filter: { type?: string; outcome?: string; subject?: string } = {}): Promise<Locator> {
    await this.section('Audit log');
    await this.page.getByLabel('Type').fill(filter.type ?? '');
    await this.page.getByLabel('Outcome').fill(filter.outcome ?? '');
    await this.page.getByLabel('Subject (user id)').fill(filter.subject ?? '');
    await this.page.getByRole('button', { name: 'Filter' }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
    return this.page.locator('tbody tr');
  }
}

/** One row of the console's audit log, as the table shows it. */
export interface AuditEntry {
  readonly id: number;
  readonly type: string;
  readonly outcome: string;
  readonly reason: string;
  readonly actor: string;
  readonly subject: string;
  readonly details: string;
}

/** Reads the audit table's rows (newest first, like the page). */
export async function readAuditEntries(rows: Locator): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  for (const row of await rows.all()) {
    const cells = (await row.locator('td').allTextContents()).map((text) => text.trim());
    const [id = '', , type = '', outcome = '', reason = '', actor = '', subject = '', , , details = ''] = cells;
    entries.push({ id: Number(id), type, outcome, reason, actor, subject, details });
  }
  return entries;
}
