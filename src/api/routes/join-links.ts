import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Clock } from '../../clock';
import type { MeetingsStore } from '../../db/stores/meetings-store';
import type { Logger } from '../../logger';
import { isProviderError, type ProviderError } from '../../providers/provider-error';
import { escapeHtml } from '../../services/email/layout';
import type { DailyMeetingService } from '../../services/meetings/daily-meeting-service';
import { lessonIdSchema } from '../../lessons/schemas';
import { isAuthenticJoinLink } from '../../services/meetings/join-links';
import { LessonNotRecordedError } from '../../services/meetings/lesson-errors';
import type { LessonMeetings } from '../../services/meetings/lesson-meetings';
import type { ZoomMeetingService } from '../../services/meetings/zoom-meeting-service';
import { addLogContext } from '../../observability/log-context';
import { textField } from '../../schemas/text';
import { sharedResults } from '../../util/shared-results';
import { defineRoute, mount, type ApiArea } from '../route';

export interface JoinLinksDeps {
  linkSecret: string;
  clock: Clock;
  meetings: LessonMeetings;
  meetingsStore: MeetingsStore;
  zoom: ZoomMeetingService;
  daily: DailyMeetingService;
  logger: Logger;
  /** The tutor's Zoom connection is dead: move this lesson to Daily now, not at the next sweep. */
  moveToDaily(lessonId: string): Promise<unknown>;
}

const join = defineRoute({
  method: 'get',
  path: '/meetings/:lessonId/join',
  summary: 'The stable link from the emails: mints a fresh provider URL at click time',
  tag: 'meetings',
  security: 'signedLink',
  params: z.object({ lessonId: lessonIdSchema }),
  query: z.object({
    as: z.enum(['tutor', 'student']),
    exp: z.coerce.number().int().positive(),
    sig: textField.slug(), // base64url
  }),
  responses: {
    302: { description: 'to a fresh Zoom start/join URL or a Daily room URL with a meeting token' },
    400: { description: 'malformed link' },
    403: { description: 'bad or expired signature', contentType: 'text/html' },
    409: { description: 'the meeting is still being prepared', contentType: 'text/html' },
    410: { description: 'the lesson was cancelled or has ended', contentType: 'text/html' },
    502: { description: 'the video provider could not open the meeting', contentType: 'text/html' },
    503: {
      description:
        "the video provider is busy, or the lesson's Zoom meeting or the tutor's Zoom is gone (the lesson is moving to Daily.co)",
      contentType: 'text/html',
    },
  },
});

function page(ctx: Context, status: number, title: string, message: string): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif;max-width:40em;margin:4em auto"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`;
}

/** Zoom's "Meeting does not exist": only Zoom's own answer, never a 404 from a misrouted URL. */
const ZOOM_MEETING_MISSING = 3001;

/**
 * Zoom can't host this lesson any more: the tutor's connection is gone (disconnected, or Zoom
 * refuses the token), or the meeting itself is (deleted in the tutor's Zoom account). Either way
 * no retry mends it, so the lesson moves to Daily.co, and the link then follows the move.
 */
const zoomUnusable = (meeting: { provider: string }, error: ProviderError): boolean =>
  meeting.provider === 'zoom' &&
  (error.kind === 'invalid-connection' ||
    (error.kind === 'not-found' && error.code === ZOOM_MEETING_MISSING));

/**
 * A person clicked a link in an email: the provider's failure becomes a page they can act on,
 * never its status or message.
 */
function providerFailurePage(ctx: Context, error: ProviderError, movingToDaily: boolean): void {
  if (movingToDaily) {
    ctx.set('Retry-After', '30');
    const reason =
      error.kind === 'not-found'
        ? "This lesson's Zoom meeting no longer exists"
        : "The tutor's Zoom account is disconnected";
    return page(
      ctx,
      503,
      'This lesson is moving to a new meeting room',
      `${reason}, so this lesson is moving to a Daily.co room now. Both of you get an email, and this same link takes you there: please try it again in a minute.`,
    );
  }
  if (error.transient) {
    ctx.set('Retry-After', '60');
    return page(
      ctx,
      503,
      'The video service is busy',
      'The video service did not answer in time. Please try again in a minute.',
    );
  }
  page(
    ctx,
    502,
    'The meeting is not available',
    'The video service could not open this meeting. Please try again in a few minutes, or contact your tutor.',
  );
}

/**
 * A minted provider URL is kept a minute and shared by the clicks that come meanwhile: a person
 * (or a script) clicking again and again costs one provider call a minute, not one each, so that
 * it cannot use up Daily's account-wide rate limit for everyone's joins.
 */
const MINTED_URL_TTL_MS = 60_000;

export function createJoinLinksArea(deps: JoinLinksDeps): ApiArea {
  const router = new Router();
  const minted = sharedResults<string>({ ttlMs: MINTED_URL_TTL_MS, maxEntries: 10_000 });
  mount(router, join, async (ctx, { params, query }) => {
    addLogContext({ lessonId: params.lessonId });
    if (!isAuthenticJoinLink(deps.linkSecret, { lessonId: params.lessonId, ...query }))
      return page(ctx, 403, 'This link does not work', 'This lesson link is not valid.');
    // No row: never booked here. Any other failure (the database down) is a 5xx, not "cancelled".
    const lesson = await deps.meetings.loadLesson(params.lessonId).catch((error: unknown) => {
      if (error instanceof LessonNotRecordedError) return undefined;
      throw error;
    });
    if (!lesson || lesson.status === 'cancelled')
      return page(ctx, 410, 'Lesson cancelled', 'This lesson was cancelled, so its meeting is closed.');
    // Against the lesson's current end: a link sent before a reschedule lives as long as the lesson.
    if (deps.meetings.overAt(lesson) < deps.clock.now())
      return page(ctx, 403, 'This link does not work', 'This lesson link has expired.');
    if (lesson.status === 'finished') return page(ctx, 410, 'Lesson over', 'This lesson has ended.');
    const meeting = await deps.meetingsStore.findByLesson(params.lessonId);
    if (!meeting)
      return page(
        ctx,
        409,
        'Almost ready',
        'The meeting for this lesson is being prepared. Try again in a minute.',
      );
    const host = query.as === 'tutor';
    const person = host ? lesson.tutor : lesson.student;
    const expiresAt = deps.meetings.overAt(lesson);
    // The person, the meeting and the lesson's end: a move or a reschedule mints anew.
    const key = [meeting.provider, meeting.meetingId, query.as, person.id, person.name, +expiresAt].join(
      '\n',
    );
    try {
      // The target carries a credential (Zoom's start URL holds the host's ZAK, Daily's a meeting token).
      ctx.set('cache-control', 'no-store');
      ctx.redirect(
        await minted(key, () =>
          meeting.provider === 'zoom'
            ? deps.zoom.joinUrl(lesson.tutor.id, meeting.meetingId, host)
            : deps.daily.createJoinURL(
                host,
                { name: meeting.meetingId, url: meeting.roomUrl ?? '' },
                person,
                expiresAt,
              ),
        ),
      );
    } catch (error) {
      if (!isProviderError(error)) throw error;
      deps.logger.warn({ err: error, provider: meeting.provider }, 'join link: the provider failed');
      const movingToDaily = zoomUnusable(meeting, error);
      if (movingToDaily) {
        // The page stays friendly even when Temporal can't take the signal: the next click asks
        // again (and for a dead connection, the daily token check moves the lesson as well).
        await deps
          .moveToDaily(params.lessonId)
          .catch((signalError: unknown) =>
            deps.logger.error({ err: signalError }, 'join link: could not ask the lesson to move to Daily'),
          );
      }
      providerFailurePage(ctx, error, movingToDaily);
    }
  });
  return { router, routes: [join] };
}
