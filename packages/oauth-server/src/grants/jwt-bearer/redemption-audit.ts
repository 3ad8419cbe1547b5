import { decodeUnverified, JwtValidationError } from '@ema/jwt';
import type { IdJagClaims } from '@ema/protocol';
import type { RedemptionAuditLog } from './redemption-storage.js';
import { RedemptionRefusal } from './refusal.js';

/** The audit event type of every jwt-bearer redemption, allowed or refused. */
export const REDEMPTION_AUDIT_TYPE = 'jwt_bearer.redemption';

/**
 * Maps anything that went wrong with the assertion to the one `invalid_grant` refusal (ID-JAG §4.4.1: no oracle).
 * The precise reason (a `JwtValidationError` code or a {@link RedemptionRefusal} reason) is kept for the audit log.
 */
export function assertionFailure(cause: unknown): RedemptionRefusal {
  if (cause instanceof RedemptionRefusal) return cause;
  if (typeof cause === 'string') return new RedemptionRefusal('invalid_grant', cause);
  if (cause instanceof JwtValidationError) return new RedemptionRefusal('invalid_grant', cause.code);
  return new RedemptionRefusal('invalid_grant', 'ERR_UNEXPECTED');
}

/**
 * Records a refused redemption. Before the assertion is verified nothing in it is trusted, so its claims are kept
 * apart, under `details.unverified`, for forensics only.
 */
export function auditRefusal(
  audit: RedemptionAuditLog,
  refusal: RedemptionRefusal,
  clientId: string,
  claims: IdJagClaims | undefined,
  resource: string | undefined,
  assertion?: string,
  type: string = REDEMPTION_AUDIT_TYPE,
  extraDetails: Record<string, unknown> = {},
): void {
  const details: Record<string, unknown> = { error: refusal.error, ...extraDetails };
  if (claims) details.iss = claims.iss;
  else if (assertion !== undefined) details.unverified = unverifiedSummary(assertion);
  audit.record({
    type,
    outcome: 'deny',
    reason: refusal.reason,
    clientId,
    ...(claims ? { subject: claims.sub, jti: claims.jti } : {}),
    ...(resource !== undefined ? { resource } : {}),
    details,
  });
}

function unverifiedSummary(assertion: string): Record<string, unknown> {
  const decoded = decodeUnverified(assertion);
  if (!decoded) return {};
  const { header, claims } = decoded;
  const pick = (value: unknown): string | undefined => (typeof value === 'string' ? value.slice(0, 200) : undefined);
  return {
    alg: pick(header.alg),
    typ: pick(header.typ),
    kid: pick(header.kid),
    iss: pick(claims.iss),
    sub: pick(claims.sub),
    jti: pick(claims.jti),
  };
}
