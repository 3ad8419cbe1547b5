/** The purpose the agent host's form CSRF tokens are derived for (`@ema/html`'s `csrfToken`). */
export const SESSION_CSRF_PURPOSE = 'agent-host-forms';
