import { z } from 'zod';

/**
 * Free text a tool keeps (a ticket's title, its assignee): trimmed, 1 to `max` characters, and without U+0000, which
 * PostgreSQL text cannot hold. SQLite could keep it; both stores refuse it alike, as an argument failing the schema
 * (a tool error the model can correct), before the tool runs.
 */
export function storedText(max: number) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((text) => !text.includes('\u0000'), 'must not contain U+0000');
}
