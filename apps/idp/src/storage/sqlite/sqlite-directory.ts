import type { SqlDatabase } from '@ema/storage';
import type { Group, User, UserWithPassword } from '../directory-types.js';
import type { DirectoryStorage, NewUser, UserChanges } from '../idp-storage.js';
import { isStorableText } from './text-keys.js';

interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  name: string;
  email: string;
  disabled: number;
  created_at: number;
}

/**
 * Users and groups (SQLite or PostgreSQL: the same queries); group membership is read with one statement per user
 * lookup.
 */
export function createSqliteDirectoryStorage(db: SqlDatabase): DirectoryStorage {
  const byId = db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?');
  const byUsername = db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?');
  const allUsers = db.prepare<[], UserRow>('SELECT * FROM users ORDER BY username');
  const groupsOf = db.prepare<[string], { group_name: string }>(
    'SELECT group_name FROM group_members WHERE user_id = ? ORDER BY group_name',
  );
  const insertUser = db.prepare(
    `INSERT INTO users (id, username, password_hash, name, email, disabled, created_at)
     VALUES (@id, @username, @passwordHash, @name, @email, 0, @createdAt)`,
  );
  // One statement: a field left out keeps its stored value, so two admins changing different fields of one user at
  // once (on two instances) both land; no read-then-write.
  const updateUser = db.prepare<{
    id: string;
    name: string | null;
    email: string | null;
    disabled: number | null;
    passwordHash: string | null;
  }>(
    `UPDATE users SET name = COALESCE(@name, name), email = COALESCE(@email, email),
       disabled = COALESCE(@disabled, disabled), password_hash = COALESCE(@passwordHash, password_hash)
     WHERE id = @id`,
  );
  const deleteUser = db.prepare<[string]>('DELETE FROM users WHERE id = ?');
  const allGroups = db.prepare<[], { name: string; description: string }>('SELECT * FROM groups ORDER BY name');
  const groupByName = db.prepare<[string], { name: string; description: string }>(
    'SELECT * FROM groups WHERE name = ?',
  );
  const membersOf = db.prepare<[string], { user_id: string }>(
    'SELECT user_id FROM group_members WHERE group_name = ? ORDER BY user_id',
  );
  const insertGroup = db.prepare<[string, string]>('INSERT INTO groups (name, description) VALUES (?, ?)');
  const deleteGroup = db.prepare<[string]>('DELETE FROM groups WHERE name = ?');
  const addMember = db.prepare<[string, string]>(
    'INSERT INTO group_members (group_name, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
  );
  const removeMember = db.prepare<[string, string]>('DELETE FROM group_members WHERE group_name = ? AND user_id = ?');

  const toUser = (row: UserRow): UserWithPassword => ({
    id: row.id,
    username: row.username,
    passwordHash: row.password_hash,
    name: row.name,
    email: row.email,
    disabled: row.disabled === 1,
    groups: groupsOf.all(row.id).map((group) => group.group_name),
    createdAt: row.created_at,
  });
  const withoutPassword = ({ passwordHash: _omitted, ...user }: UserWithPassword): User => user;
  const toGroup = (row: { name: string; description: string }): Group => ({
    name: row.name,
    description: row.description,
    members: membersOf.all(row.name).map((member) => member.user_id),
  });

  return {
    listUsers: () => allUsers.all().map((row) => withoutPassword(toUser(row))),
    findUserById: (id) => {
      const row = isStorableText(id) ? byId.get(id) : undefined;
      return row === undefined ? undefined : withoutPassword(toUser(row));
    },
    findUserByUsername: (username) => {
      const row = isStorableText(username) ? byUsername.get(username) : undefined;
      return row === undefined ? undefined : toUser(row);
    },
    insertUser: (user: NewUser) => {
      insertUser.run(user);
    },
    updateUser: (id: string, changes: UserChanges) =>
      updateUser.run({
        id,
        name: changes.name ?? null,
        email: changes.email ?? null,
        disabled: changes.disabled === undefined ? null : changes.disabled ? 1 : 0,
        passwordHash: changes.passwordHash ?? null,
      }).changes === 1,
    deleteUser: (id) => deleteUser.run(id).changes === 1,
    listGroups: () => allGroups.all().map(toGroup),
    findGroup: (name) => {
      const row = isStorableText(name) ? groupByName.get(name) : undefined;
      return row === undefined ? undefined : toGroup(row);
    },
    insertGroup: (name, description) => {
      insertGroup.run(name, description);
    },
    deleteGroup: (name) => deleteGroup.run(name).changes === 1,
    addMember: (groupName, userId) => {
      addMember.run(groupName, userId);
    },
    removeMember: (groupName, userId) => removeMember.run(groupName, userId).changes === 1,
  };
}
