import type { Knex } from 'knex';

export type ConnectionEvent =
  | 'connected'
  | 'reconnected'
  | 'refreshed'
  | 'reminded'
  | 'deleted'
  | 'disconnected'
  | 'deauthorized'
  | 'valid';

/** One tutor's Zoom connection history, for support and `npm run ops -- history`. */
export function createConnectionEventsStore(db: Knex) {
  return {
    async record(userId: string, event: ConnectionEvent, detail?: string, trx: Knex = db): Promise<void> {
      await trx('zoom_connection_events').insert({ user_id: userId, event, detail: detail ?? null });
    },
    async history(userId: string): Promise<Array<{ event: string; detail: string | null; at: Date }>> {
      return db('zoom_connection_events')
        .where({ user_id: userId })
        .orderBy('id')
        .select('event', 'detail', 'at');
    },
    /** These tutors' Zoom-derived history up to `before`; their deauthorization itself stays. */
    async deleteHistory(userIds: string[], before: Date): Promise<void> {
      await db('zoom_connection_events')
        .whereIn('user_id', userIds)
        .whereNot({ event: 'deauthorized' })
        .where('at', '<=', before)
        .delete();
    },
  };
}
export type ConnectionEventsStore = ReturnType<typeof createConnectionEventsStore>;
