import { type Browser, type BrowserContext, expect, type Locator, type Page } from '@playwright/test';
import { type DemoUser, URLS } from '../../stack/demo-world.js';
import { signInAtIdp } from './idp-sign-in.js';

/** The catalog id of Acme Tickets at the agent host (its name, lowercased and dashed). */
export const ACME_TICKETS_ID = 'acme-tickets';

/**
 * The agent host as one employee uses it, in a browser context of their own (own cookies, own IdP session).
 * Everything goes through the pages: links, buttons and forms, located by their role, label or `data-testid`.
 */
export class AgentHost {
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly user: DemoUser,
  ) {}

  /** Opens a fresh browser context for `user` and signs in at the agent host through the IdP. */
  static async signIn(
    browser: Browser,
    user: DemoUser,
    options: { beforeIdpSubmit?: (page: Page) => Promise<void> } = {},
  ): Promise<AgentHost> {
    const context = await browser.newContext();
    const page = await context.newPage();
    const host = new AgentHost(context, page, user);
    await page.goto(URLS.agentHost);
    await page.getByTestId('sign-in').click();
    // OIDC Core §3.1.2.1: the browser is sent to the IdP, which asks for the password on its own page.
    await expect(page).toHaveURL((url) => url.origin === URLS.idp);
    await options.beforeIdpSubmit?.(page);
    await signInAtIdp(page, user);
    await expect(page).toHaveURL((url) => url.origin === URLS.agentHost && !url.pathname.startsWith('/auth/'));
    await expect(page.getByTestId('user-name')).toHaveText(user.name);
    return host;
  }

  async close(): Promise<void> {
    await this.context.close();
  }

  /** The catalog page. */
  async openCatalog(): Promise<void> {
    await this.page.getByTestId('nav-servers').click();
    await expect(this.page.getByRole('heading', { level: 1, name: 'MCP servers' })).toBeVisible();
  }

  /** Clicks "Connect" (or "Reconnect") on the catalog for the server, which runs the whole flow. */
  async connect(serverId = ACME_TICKETS_ID): Promise<void> {
    await this.openCatalog();
    await this.page.getByTestId(`server-${serverId}`).getByTestId(`connect-${serverId}`).click();
    await this.page.waitForLoadState('load');
  }

  /** The connection state shown on the page ("Connected" / "Not connected"). */
  connectionStatus(): Locator {
    return this.page.getByTestId('connection-status');
  }

  /** The alert of the given kind (`policy-denial`, `insufficient-scope`, …). */
  message(kind: 'policy-denial' | 'insufficient-scope' | 'unreachable' | 'session-expired' | 'connection-error') {
    return this.page.getByRole('alert').and(this.page.getByTestId(kind));
  }

  /** The form of one tool on the server page. */
  tool(name: string): Locator {
    return this.page.getByTestId(`tool-${name}`);
  }

  /** Fills a tool's form (by field name) and submits it; returns the result section of that call. */
  async callTool(name: string, args: Readonly<Record<string, string>> = {}): Promise<Locator> {
    const form = this.tool(name);
    for (const [field, value] of Object.entries(args)) {
      const input = form.getByTestId(`tool-${name}-${field}`);
      const tag = await input.evaluate((element) => element.tagName);
      if (tag === 'SELECT') await input.selectOption(value);
      else await input.fill(value);
    }
    await form.getByTestId(`call-${name}`).click();
    await this.page.waitForLoadState('load');
    return this.page.getByTestId('tool-result').and(this.page.locator(`[data-tool="${name}"]`));
  }

  /** Opens the flow inspector through the navigation. */
  async openInspector(): Promise<void> {
    await this.page.getByTestId('nav-inspector').click();
    await expect(this.page.getByRole('heading', { level: 1, name: 'Flow inspector' })).toBeVisible();
  }

  /** The inspector's section for one step of the flow. */
  inspectorStep(step: 'discovery' | 'token-exchange' | 'jwt-bearer' | 'mcp'): Locator {
    return this.page.getByTestId(`step-${step}`);
  }

  /** Signs out with the header's button. */
  async signOut(): Promise<void> {
    await this.page.getByTestId('sign-out').click();
    await this.page.waitForLoadState('load');
  }
}

/** The JOSE header and claims of a token the inspector shows decoded (its `data-testid="decoded-token"` box). */
export async function decodedToken(
  box: Locator,
): Promise<{ header: Record<string, unknown>; claims: Record<string, unknown> }> {
  const [header, claims] = await box.locator('pre').allTextContents();
  return {
    header: JSON.parse(header ?? '{}') as Record<string, unknown>,
    claims: JSON.parse(claims ?? '{}') as Record<string, unknown>,
  };
}
