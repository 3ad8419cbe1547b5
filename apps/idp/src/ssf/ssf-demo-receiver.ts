import type { IdpContext } from '../idp-context.js';

/** The demo RAS's Receiver id (DEMO.md world). */
export const DEMO_RECEIVER_ID = 'rcv_demo_ras';

/**
 * Registers the demo RAS as SSF Receiver (audience `demo.rasIssuer`) with the configured token, when it is not
 * registered yet; a Receiver the admin API registered for that audience is left alone.
 */
export function seedDemoReceiver(context: IdpContext): void {
  const token = context.config.ssf.demoReceiverToken;
  if (token === undefined) return;
  const { receivers } = context.signals;
  if (receivers.findByAudience(context.config.demo.rasIssuer) !== undefined) return;
  receivers.insert(
    {
      receiverId: DEMO_RECEIVER_ID,
      audience: context.config.demo.rasIssuer,
      description: 'Demo resource authorization server (Acme Tickets)',
      createdAt: context.now(),
    },
    token,
  );
}
