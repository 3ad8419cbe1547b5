import type { CDPSession, Page } from '@playwright/test';

/**
 * A virtual WebAuthn authenticator in the page's browser (Chrome DevTools Protocol `WebAuthn` domain): a platform
 * authenticator (`internal` transport, CTAP2) that holds discoverable credentials, verifies the user and answers
 * every prompt at once, as a laptop's fingerprint reader would with a cooperative finger.
 */
export class VirtualAuthenticator {
  private constructor(
    private readonly cdp: CDPSession,
    readonly id: string,
  ) {}

  /** Adds the authenticator to `page` (it serves every origin the page navigates to). */
  static async attach(page: Page): Promise<VirtualAuthenticator> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    return new VirtualAuthenticator(cdp, authenticatorId);
  }

  /** How many credentials the authenticator holds. */
  async credentialCount(): Promise<number> {
    return (await this.cdp.send('WebAuthn.getCredentials', { authenticatorId: this.id })).credentials.length;
  }

  /** Makes the next answers lie about user verification (the UV flag cleared), or stop lying. */
  async claimUnverifiedUser(unverified: boolean): Promise<void> {
    await this.cdp.send('WebAuthn.setResponseOverrideBits', { authenticatorId: this.id, isBadUV: unverified });
  }
}
