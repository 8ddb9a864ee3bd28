import type { ZoomDeauthorization } from '../services/zoom-connection/deauthorization';

export interface ZoomConnectionActivityDeps {
  deauthorization: ZoomDeauthorization;
}

export interface DeauthorizationInput {
  zoomUserId: string;
  /** ISO time of Zoom's deauthorization: only grants made before it are affected. */
  deauthorizedAt: string;
}

export function createZoomConnectionActivities(deps: ZoomConnectionActivityDeps) {
  return {
    async findDeauthorizedTutors(input: DeauthorizationInput): Promise<string[]> {
      return deps.deauthorization.findDeauthorizedTutors(input.zoomUserId, new Date(input.deauthorizedAt));
    },

    /**
     * Within Zoom's 10 days: the tutors' grants from before the deauthorization go, and with
     * user_data_retention "false" the Zoom-derived history we keep for them up to then.
     */
    async forgetDeauthorizedGrants(
      input: DeauthorizationInput & { tutorIds: string[]; deleteUserData: boolean },
    ): Promise<void> {
      await deps.deauthorization.forgetDeauthorizedGrants(
        input.zoomUserId,
        input.tutorIds,
        input.deleteUserData,
        new Date(input.deauthorizedAt),
      );
    },
  };
}
export type ZoomConnectionActivities = ReturnType<typeof createZoomConnectionActivities>;
