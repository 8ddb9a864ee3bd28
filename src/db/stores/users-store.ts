import type { Knex } from 'knex';

export interface UserInput {
  id: string;
  email?: string | null;
  name?: string | null;
  timeZone?: string | null;
}

/** The platform's users, filled from booking calls and Zoom connections. */
export function createUsersStore(db: Knex) {
  return {
    /** Inserts or updates; a missing field never erases a known one. */
    async upsertUser(user: UserInput, trx: Knex = db): Promise<void> {
      const fields = {
        ...(user.email ? { email: user.email } : {}),
        ...(user.name ? { name: user.name } : {}),
        ...(user.timeZone ? { time_zone: user.timeZone } : {}),
      };
      const query = trx('users')
        .insert({ id: user.id, ...fields })
        .onConflict('id');
      await (Object.keys(fields).length
        ? query.merge({ ...fields, updated_at: trx.fn.now() })
        : query.ignore());
    },

    async findUser(
      id: string,
    ): Promise<{ id: string; email: string | null; name: string | null; timeZone: string } | undefined> {
      const row = await db('users').where({ id }).first();
      return row ? { id: row.id, email: row.email, name: row.name, timeZone: row.time_zone } : undefined;
    },
  };
}
export type UsersStore = ReturnType<typeof createUsersStore>;
