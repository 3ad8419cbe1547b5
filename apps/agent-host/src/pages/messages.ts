/**
 * Human messages for what can go wrong while connecting or calling a tool. Each names who decided or what failed,
 * in words an employee understands, and carries a stable `data-testid`.
 */
import {
  AccessRevokedError,
  DiscoveryError,
  EmaClientError,
  InsufficientScopeError,
  InsufficientUserAuthenticationError,
  PolicyDenialError,
  SubjectTokenUnavailableError,
  UnknownAuthorizationServerError,
  UnreachableError,
} from '@ema/ema-client';

/** A message ready to render (plain text; the page escapes it). */
export interface HumanMessage {
  kind:
    | 'policy-denial'
    | 'insufficient-scope'
    | 'unreachable'
    | 'session-expired'
    | 'access-revoked'
    | 'connection-error'
    | 'step-up';
  title: string;
  text: string;
  detail?: string;
  /** A place the user can go to fix it (the IdP account page, to add a passkey). */
  link?: { href: string; text: string };
  /** The user must sign in again (the session is ended). */
  signInAgain?: boolean;
  /** Offer a fresh sign-in at the IdP (the session stays, in case access comes back). */
  offerSignIn?: boolean;
}

const PARTY_NAMES = {
  idp: 'your organization’s identity provider',
  ras: 'the authorization server',
  mcp: 'the MCP server',
};

/** Explains `error` about `serverName` to the user. */
export function explain(error: unknown, serverName: string, tool?: string): HumanMessage {
  if (error instanceof PolicyDenialError) {
    return {
      kind: 'policy-denial',
      title: 'Access denied by your organization',
      text: `Your organization’s policy does not allow you to use ${serverName} through this agent host. This decision is made by your administrators; there is no consent screen to get around it. Ask your IT team if you need access.`,
      ...(error.description
        ? { detail: `${capitalize(PARTY_NAMES[error.party])} said: ${error.description} (${error.error})` }
        : { detail: `(${error.error})` }),
    };
  }
  if (error instanceof InsufficientScopeError) {
    const needs = error.requiredScopes.join(' ') || 'more permissions';
    const has = error.grantedScopes.join(' ') || 'none';
    return {
      kind: 'insufficient-scope',
      title: 'Not permitted',
      text: `${tool ? `“${tool}”` : 'This operation'} needs the permission ${needs} on ${serverName}, which your organization has not granted you.`,
      detail: `Permissions you hold: ${has}.`,
    };
  }
  if (error instanceof UnreachableError) {
    return {
      kind: 'unreachable',
      title: `Cannot reach ${PARTY_NAMES[error.party]}`,
      text: `${capitalize(PARTY_NAMES[error.party])} (${error.url}) did not answer. It may be down or restarting; try again in a moment.`,
      detail: error.message,
    };
  }
  if (error instanceof AccessRevokedError) {
    return {
      kind: 'access-revoked',
      title: 'Access revoked by your organization',
      text: `Your organization has cut your access to ${serverName}: your account was disabled, your session was ended, or a policy changed. The agent host will not retry. If your access is restored, sign in again.`,
      detail: `${capitalize(PARTY_NAMES[error.party])} refused the connection (${error.detail}).`,
      offerSignIn: true,
    };
  }
  if (error instanceof InsufficientUserAuthenticationError) {
    // Normally answered with a step-up sign-in; shown when the step-up already happened and it is still not enough.
    return {
      kind: 'step-up',
      title: 'A stronger sign-in is still needed',
      text: `${tool ? `“${tool}”` : 'This operation'} on ${serverName} needs a stronger or more recent sign-in than the one you just made. Nothing was done.`,
      detail: `${capitalize(PARTY_NAMES[error.party])} said: ${error.description ?? 'insufficient_user_authentication'}.`,
    };
  }
  if (error instanceof SubjectTokenUnavailableError) {
    return {
      kind: 'session-expired',
      title: 'Your sign-in has expired',
      text: 'Please sign in again with your organization to continue.',
      signInAgain: true,
    };
  }
  if (error instanceof UnknownAuthorizationServerError) {
    return {
      kind: 'connection-error',
      title: 'This server is not set up for this agent host',
      text: `${serverName} uses an authorization server this agent host is not registered at (${error.issuer}). Ask your IT team to register it.`,
    };
  }
  if (error instanceof DiscoveryError) {
    return {
      kind: 'connection-error',
      title: 'The server’s authorization settings were refused',
      text: `${serverName} does not publish valid Enterprise-Managed Authorization metadata, so the agent host did not send it any credentials.`,
      detail: error.message,
    };
  }
  if (error instanceof EmaClientError) {
    return {
      kind: 'connection-error',
      title: 'The connection failed',
      text: `Connecting to ${serverName} failed.`,
      detail: error.message,
    };
  }
  return {
    kind: 'connection-error',
    title: 'Something went wrong',
    text: `The request to ${serverName} failed.`,
    detail: error instanceof Error ? error.message : String(error),
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** How a step-up sign-in ended without success, as the IdP's answer says (OIDC Core §3.1.2.6). */
export type StepUpFailure = 'cancelled' | 'unmet' | 'other-user' | 'not-confirmed' | 'failed';

/** Explains a step-up sign-in that did not succeed: nothing was done, and (for a missing passkey) what to do. */
export function explainStepUp(
  failure: StepUpFailure,
  serverName: string,
  tool: string | undefined,
  accountUrl: string,
): HumanMessage {
  const what = tool ? `“${tool}” on ${serverName}` : serverName;
  switch (failure) {
    case 'cancelled':
      return {
        kind: 'step-up',
        title: 'Stronger sign-in cancelled',
        text: `${capitalize(what)} needs a stronger sign-in (for example with your passkey), which was cancelled. Nothing was done; try again when you are ready.`,
      };
    case 'unmet':
      return {
        kind: 'step-up',
        title: 'A stronger sign-in is required',
        text: `Your organization requires a stronger sign-in for ${what}, which your identity provider could not make. If your account has no passkey yet, add one on your account page at your organization’s identity provider, then try again. Nothing was done.`,
        link: { href: accountUrl, text: 'Add a passkey on your account page' },
      };
    case 'other-user':
      return {
        kind: 'step-up',
        title: 'Signed in as someone else',
        text: `The stronger sign-in for ${what} was made with another account. Nothing was done; sign in again as yourself.`,
        signInAgain: true,
      };
    case 'not-confirmed':
      return {
        kind: 'step-up',
        title: 'A stronger sign-in is still needed',
        text: `Your organization’s identity provider did not confirm the stronger sign-in ${what} needs. Nothing was done.`,
      };
    case 'failed':
      return {
        kind: 'step-up',
        title: 'The stronger sign-in failed',
        text: `The sign-in ${what} needs could not be completed. Nothing was done; try again.`,
      };
  }
}
