import { isProviderError } from '../../providers/provider-error';
import type { ZoomApiClient, ZoomMeetingSummary } from '../../providers/zoom/api-client';
import { ERASED } from '../../db/stores/personal-data-tables';
import { agendaWith, lessonMarker } from '../meetings/zoom-meeting-service';
import type { ZoomTokenService } from '../zoom-connection/token-service';

export interface ZoomAgendaDeps {
  zoomApi: ZoomApiClient;
  tokens: Pick<ZoomTokenService, 'isZoomConnected' | 'withAccessToken'>;
}

/** The person's lessons in one tutor's Zoom account, and what names the person. */
export interface TutorMeetingsToRewrite {
  tutorId: string;
  lessonIds: string[];
  /** The person's names and emails, as a case-insensitive pattern (see erasurePattern). */
  pattern: RegExp;
}

/** What a meeting of the person's lesson says once they are forgotten; undefined when it says so already. */
function rewritten(
  meeting: ZoomMeetingSummary,
  lessonIds: string[],
  pattern: RegExp,
): { agenda?: string; topic?: string } | undefined {
  const lessonId = lessonIds.find((id) => meeting.agenda?.includes(lessonMarker(id)));
  if (!lessonId) return undefined;
  const agenda = agendaWith(lessonId, ERASED);
  const topic = meeting.topic?.replace(pattern, ERASED);
  const change = {
    ...(meeting.agenda !== agenda && { agenda }),
    ...(topic !== undefined && topic !== meeting.topic && { topic }),
  };
  return Object.keys(change).length > 0 ? change : undefined;
}

/**
 * The agendas of a tutor's upcoming Zoom meetings name their student: for each tutor still
 * connected, the meetings of the person's lessons (found by their marker, wherever the lesson is
 * now: one moved to Daily while Zoom was away left its meeting there) are PATCHed to name nobody.
 * A tutor not connected can't be reached: those meetings are counted as unreachable.
 */
export function createZoomAgendaRewriter(deps: ZoomAgendaDeps) {
  async function upcomingMeetings(accessToken: string): Promise<ZoomMeetingSummary[]> {
    const all: ZoomMeetingSummary[] = [];
    let pageToken: string | undefined;
    do {
      const page = await deps.zoomApi.listUpcomingMeetings(accessToken, pageToken);
      all.push(...page.meetings);
      pageToken = page.nextPageToken;
    } while (pageToken);
    return all;
  }

  async function rewriteForTutor(target: TutorMeetingsToRewrite): Promise<number> {
    return deps.tokens.withAccessToken(target.tutorId, async (accessToken) => {
      let count = 0;
      for (const meeting of await upcomingMeetings(accessToken)) {
        const change = rewritten(meeting, target.lessonIds, target.pattern);
        if (!change) continue;
        try {
          await deps.zoomApi.updateMeeting(accessToken, String(meeting.id), change);
          count++;
        } catch (error) {
          // Deleted at Zoom since it was listed: nothing left to rewrite.
          if (!isProviderError(error, 'not-found')) throw error;
        }
      }
      return count;
    });
  }

  return {
    /** How many meetings were rewritten, and the tutors whose Zoom could not be reached. */
    async rewrite(targets: TutorMeetingsToRewrite[]): Promise<{ rewritten: number; unreachable: string[] }> {
      let total = 0;
      const unreachable: string[] = [];
      for (const target of targets) {
        if (!(await deps.tokens.isZoomConnected(target.tutorId))) continue;
        try {
          total += await rewriteForTutor(target);
        } catch (error) {
          if (!isProviderError(error, 'invalid-connection')) throw error;
          unreachable.push(target.tutorId);
        }
      }
      return { rewritten: total, unreachable };
    },
  };
}
export type ZoomAgendaRewriter = ReturnType<typeof createZoomAgendaRewriter>;
