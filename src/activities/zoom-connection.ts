import type { Knex } from 'knex';
import type { ZoomTokenService } from '../services/zoom-connection/token-service';

export interface ZoomConnectionActivityDeps {
  db: Knex;
  tokenService: ZoomTokenService;
}

export function createZoomConnectionActivities(deps: ZoomConnectionActivityDeps) {
  return {
    /**
     * app_deauthorized: deletes every connection of that Zoom user (a redelivery finds none) and
     * returns the tutors whose lessons must move. With user_data_retention "false" it also
     * deletes the Zoom-derived history we keep for them, within Zoom's 10 days.
     */
    async deauthorizeZoomUser(input: { zoomUserId: string; deleteUserData: boolean }): Promise<string[]> {
      const tutorIds = await deps.tokenService.tokens.findUserIdsByZoomUid(input.zoomUserId);
      for (const tutorId of tutorIds) await deps.tokenService.disconnect(tutorId, 'deauthorized');
      if (input.deleteUserData && tutorIds.length) {
        await deps
          .db('zoom_connection_events')
          .whereIn('user_id', tutorIds)
          .whereNot({ event: 'deauthorized' })
          .delete();
      }
      return tutorIds;
    },
  };
}
export type ZoomConnectionActivities = ReturnType<typeof createZoomConnectionActivities>;
