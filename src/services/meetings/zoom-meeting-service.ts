import { randomInt } from 'node:crypto';
import { isProviderError, ProviderError } from '../../providers/provider-error';
import type { ZoomApiClient } from '../../providers/zoom/api-client';
import type { ZoomMeeting } from '../../providers/zoom/schemas';
import type { ZoomTokenService } from '../zoom-connection/token-service';
import { lessonTopic } from './lesson';
import type { Lesson } from '../../lessons/types';

/**
 * Zoom meetings through the tutor's own account. Zoom has no idempotency key, so the lesson id
 * goes into the agenda as a marker, and a create first looks for a meeting that carries it: a
 * retried create finds the meeting its lost attempt made instead of making a second one.
 */
export const lessonMarker = (lessonId: string): string => `[lesson:${lessonId}]`;

/** Zoom's meeting list cuts each agenda at 250 characters: the marker must end within them. */
const LISTED_AGENDA_MAX = 250;

/** The first code points of `text` that fit in `max` UTF-16 units (never half a surrogate pair). */
function fitted(text: string, max: number): string {
  let out = '';
  for (const char of text) {
    if (out.length + char.length > max) break;
    out += char;
  }
  return out;
}

/** The agenda: who the lesson is with (shortened when long), then the marker, within the listed 250. */
export function lessonAgenda(lesson: Pick<Lesson, 'id' | 'student'>): string {
  return agendaWith(lesson.id, lesson.student.name);
}

/** The agenda of a lesson whose student is called `studentName` (an erasure passes a placeholder). */
export function agendaWith(lessonId: string, studentName: string): string {
  const marker = lessonMarker(lessonId);
  const room = LISTED_AGENDA_MAX - marker.length - 1;
  const text = `Online lesson with ${studentName}.`;
  return `${text.length <= room ? text : `${fitted(text, room - 1)}…`} ${marker}`;
}

const PASSWORD_ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const newPassword = (): string =>
  Array.from({ length: 10 }, () => PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)]).join('');

const durationMinutes = (lesson: Pick<Lesson, 'startsAt' | 'endsAt'>): number =>
  Math.max(1, Math.round((lesson.endsAt.getTime() - lesson.startsAt.getTime()) / 60_000));

/**
 * A create answered 2xx with a body we cannot read may still have made the meeting: transient, so
 * that the retry finds it by its marker instead of a fallback leaving it orphaned in the account.
 */
function madeMaybe(error: unknown): never {
  if (!isProviderError(error, 'invalid-response')) throw error;
  throw new ProviderError({ ...error, kind: 'transient', message: error.message.replace(/^zoom: /, '') });
}

export function createZoomMeetingService(zoomApi: ZoomApiClient, tokens: ZoomTokenService) {
  async function findByMarker(tutorId: string, lessonId: string): Promise<number | undefined> {
    const marker = lessonMarker(lessonId);
    return tokens.withAccessToken(tutorId, async (accessToken) => {
      let pageToken: string | undefined;
      do {
        const page = await zoomApi.listUpcomingMeetings(accessToken, pageToken);
        const found = page.meetings.find((m) => m.agenda?.includes(marker));
        if (found) return found.id;
        pageToken = page.nextPageToken;
      } while (pageToken);
      return undefined;
    });
  }

  return {
    async createMeeting(lesson: Lesson): Promise<ZoomMeeting> {
      const existing = await findByMarker(lesson.tutor.id, lesson.id);
      return tokens.withAccessToken(lesson.tutor.id, async (accessToken) => {
        if (existing !== undefined) return zoomApi.getMeeting(accessToken, String(existing));
        return zoomApi
          .createMeeting(accessToken, {
            topic: lessonTopic(lesson),
            startTime: lesson.startsAt,
            durationMinutes: durationMinutes(lesson),
            password: newPassword(),
            agenda: lessonAgenda(lesson),
          })
          .catch(madeMaybe);
      });
    },

    /** PATCHes the time; a meeting deleted at Zoom meanwhile counts as not found. */
    async updateMeeting(tutorId: string, meetingId: string, startsAt: Date, endsAt: Date): Promise<void> {
      await tokens.withAccessToken(tutorId, (accessToken) =>
        zoomApi.updateMeeting(accessToken, meetingId, {
          startTime: startsAt,
          durationMinutes: durationMinutes({ startsAt, endsAt }),
        }),
      );
    },

    /** Deletes; a meeting already gone, or a tutor no longer connected, counts as deleted. */
    async deleteMeeting(tutorId: string, meetingId: string): Promise<void> {
      try {
        await tokens.withAccessToken(tutorId, (accessToken) => zoomApi.deleteMeeting(accessToken, meetingId));
      } catch (error) {
        if (!isProviderError(error, 'not-found') && !isProviderError(error, 'invalid-connection'))
          throw error;
      }
    },

    /** A fresh start_url (it lives 2 hours) for the host, or the join_url for a participant. */
    async joinUrl(tutorId: string, meetingId: string, host: boolean): Promise<string> {
      const meeting = await tokens.withAccessToken(tutorId, (accessToken) =>
        zoomApi.getMeeting(accessToken, meetingId),
      );
      return host && meeting.start_url ? meeting.start_url : meeting.join_url;
    },
  };
}
export type ZoomMeetingService = ReturnType<typeof createZoomMeetingService>;
