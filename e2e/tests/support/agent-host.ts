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

  /** Asserts the server page says "Connected"; when it does not, the failure quotes the page's alert. */
  async expectConnected(): Promise<void> {
    const status = this.connectionStatus();
    await expect(status).toHaveText(/^(Connected|Not connected)$/);
    const alerts = await this.page.getByRole('alert').allTextContents();
    const why = alerts.map((text) => text.replace(/\s+/g, ' ').trim()).join(' | ');
    await expect(status, `the connection failed: ${why || 'no message on the page'}`).toHaveText('Connected');
  }

  /** The alert of the given kind (`policy-denial`, `insufficient-scope`, …). */
  message(
    kind:
      | 'policy-denial'
      | 'insufficient-scope'
      | 'unreachable'
      | 'session-expired'
      | 'access-revoked'
      | 'connection-error'
      | 'step-up',
  ) {
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

/** A token as the flow inspector shows it: decoded, with its signature withheld. */
export interface DecodedJwt {
  readonly header: Record<string, unknown>;
  readonly claims: Record<string, unknown>;
  readonly signature: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The header and claims of a token shown in a `data-testid="decoded-token"` box (a request header or parameter). */
export async function decodedToken(box: Locator): Promise<DecodedJwt> {
  const [header, claims] = await box.locator('pre').allTextContents();
  const signature = ((await box.locator('p').last().textContent()) ?? '').replace(/^Signature:\s*/, '');
  return { header: JSON.parse(header ?? '{}'), claims: JSON.parse(claims ?? '{}'), signature };
}

/**
 * The token a token endpoint issued in one recorded exchange: the inspector shows the JSON response body with each
 * token member replaced by `{ "decoded": { header, claims, signature } }`.
 */
export async function issuedToken(exchange: Locator): Promise<DecodedJwt> {
  const body: unknown = JSON.parse((await exchange.locator('pre').last().textContent()) ?? 'null');
  const member = isRecord(body) ? body.access_token : undefined;
  const decoded = isRecord(member) ? member.decoded : undefined;
  if (!isRecord(decoded) || !isRecord(decoded.header) || !isRecord(decoded.claims)) {
    throw new Error('the exchange shows no decoded access_token in its response body');
  }
  return { header: decoded.header, claims: decoded.claims, signature: decoded.signature };
}
