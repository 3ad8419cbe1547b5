/** Reads a JSON array-of-strings column written by this adapter. */
export function readStringArray(value: string): string[] {
  const parsed: unknown = JSON.parse(value);
  return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string') : [];
}

/** Reads a JSON object-of-strings column written by this adapter. */
export function readStringRecord(value: string): Record<string, string> {
  const parsed: unknown = JSON.parse(value);
  const record: Record<string, string> = {};
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return record;
  for (const [key, item] of Object.entries(parsed)) if (typeof item === 'string') record[key] = item;
  return record;
}
