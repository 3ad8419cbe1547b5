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
    | 'connection-error';
  title: string;
  text: string;
  detail?: string;
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
  if (error instanceof SubjectTokenUnavailableError || error instanceof InsufficientUserAuthenticationError) {
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
