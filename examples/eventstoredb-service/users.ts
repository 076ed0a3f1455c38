/**
 * The example's own user table: the personal data the service holds, in process, keyed by
 * subject id. Lethe never sees a name or an email; it knows the subject id and the data category
 * (`widget-leads` covers the `name` and `email` columns), and tells the service when to erase.
 *
 * @module
 */

/** One row: the personal columns may be erased one category at a time. */
export interface UserRow {
  readonly subjectId: string;
  name?: string;
  email?: string;
  /** When the row was created (ISO 8601), not personal data. */
  readonly createdAt: string;
}

/** Which columns each data category of policy.json covers. */
export const COLUMNS_OF_CATEGORY: Readonly<Record<string, readonly (keyof UserRow)[]>> = {
  'widget-leads': ['name', 'email'],
};

const PERSONAL_COLUMNS = ['name', 'email'] as const;

/** The user table: a record of functions over a Map, rows copied out so callers cannot mutate it. */
export interface UserTable {
  /** Creates or updates the row of `subjectId` with the given columns. */
  readonly upsert: (subjectId: string, columns: { readonly name?: string; readonly email?: string }, now: string) => UserRow;
  /** Returns a copy of the row, or undefined. */
  readonly get: (subjectId: string) => UserRow | undefined;
  /**
   * Erases the columns of `categories` from the row; deletes the row when no personal column is
   * left. Returns what happened (idempotent: erasing a missing row is `absent`).
   */
  readonly erase: (subjectId: string, categories: readonly string[]) => 'rowDeleted' | 'columnsErased' | 'absent';
  /** How many rows there are. */
  readonly size: () => number;
}

/** Returns an empty user table. */
export const createUserTable = (): UserTable => {
  const rows = new Map<string, UserRow>();
  return {
    upsert: (subjectId, columns, now) => {
      const row: UserRow = rows.get(subjectId) ?? { subjectId, createdAt: now };
      if (columns.name !== undefined) row.name = columns.name;
      if (columns.email !== undefined) row.email = columns.email;
      rows.set(subjectId, row);
      return { ...row };
    },
    get: (subjectId) => {
      const row = rows.get(subjectId);
      return row === undefined ? undefined : { ...row };
    },
    erase: (subjectId, categories) => {
      const row = rows.get(subjectId);
      if (row === undefined) return 'absent';
      for (const category of categories) for (const column of COLUMNS_OF_CATEGORY[category] ?? []) delete row[column as 'name' | 'email'];
      if (PERSONAL_COLUMNS.every((column) => row[column] === undefined)) {
        rows.delete(subjectId);
        return 'rowDeleted';
      }
      return 'columnsErased';
    },
    size: () => rows.size,
  };
};
