/** The notes, in memory: each user's own, keyed by (iss, sub). A real server would use a database. */

/** One note. */
export interface Note {
  id: number;
  text: string;
  /** The author's email (or `sub` when the token carries none), from the verified access token. */
  author: string;
  /** ISO 8601. */
  createdAt: string;
}

/** Where the notes live. */
export interface NoteStore {
  list(owner: string): readonly Note[];
  /** Adds a note, or returns `undefined` when the owner already has {@link MAX_NOTES_PER_OWNER}. */
  add(owner: string, text: string, author: string): Note | undefined;
}

/** A bound on memory: the example keeps everything in the process. */
export const MAX_NOTES_PER_OWNER = 100;

/** An empty in-memory store. */
export function createNoteStore(now: () => Date = () => new Date()): NoteStore {
  const notes = new Map<string, Note[]>();
  let lastId = 0;
  return {
    list: (owner) => notes.get(owner) ?? [],
    add(owner, text, author) {
      const own = notes.get(owner) ?? [];
      if (own.length >= MAX_NOTES_PER_OWNER) return undefined;
      lastId += 1;
      const note = { id: lastId, text, author, createdAt: now().toISOString() };
      notes.set(owner, [...own, note]);
      return note;
    },
  };
}
