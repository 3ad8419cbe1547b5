import type { AuditQuery } from '@ema/storage';

/** Raw audit filters (query string or form), all optional strings or numbers. */
export type AuditFilterInput = Partial<Record<keyof AuditQuery, string | number | undefined>>;

/** Turns raw filters into an {@link AuditQuery}: empty values dropped, numbers parsed (bad ones ignored). */
export function auditFilter(input: AuditFilterInput): AuditQuery {
  const query: AuditQuery = {};
  for (const key of ['type', 'outcome', 'subject', 'clientId'] as const) {
    const value = input[key];
    if (value !== undefined && value !== '') query[key] = String(value);
  }
  for (const key of ['since', 'until', 'limit', 'beforeId'] as const) {
    const value = input[key];
    const number = typeof value === 'number' ? value : value === undefined || value === '' ? Number.NaN : Number(value);
    if (Number.isInteger(number) && number >= 0) query[key] = number;
  }
  return query;
}
