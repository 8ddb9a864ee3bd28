import { ApplicationFailure } from '@temporalio/common';
import type { LessonActivities } from '../../src/activities/lessons';
import type { LessonTimes } from '../../src/lessons/schemas';

/**
 * Plain functions in place of the lesson activities, over one small world per lesson: the
 * providers' meetings, what they were asked, and the emails. They behave as the services do
 * where the workflow depends on it (a cancelled lesson makes nothing, a meeting made stays, a
 * cancel only goes to those who were told), so that tests see the workflow's logic alone.
 */
export interface LessonWorld {
  /** Zoom answers 503 to a create or an update (a transient failure, retried). */
  zoomDown: boolean;
  /** Daily answers 503 to a create. */
  dailyDown: boolean;
  zoomConnected: boolean;
  /** Names for the times in the log (T1, T2, ...). */
  labels: Map<string, string>;
  /** What the providers did: 'zoom.create@T1', 'zoom.update@T2', 'zoom.delete', 'daily.create@T1', 'daily.delete'. */
  calls: string[];
  /** Calls the providers refused: 'zoom.create', 'daily.create', 'zoom.update'. */
  refused: string[];
  /** Emails sent: 'booked v1@T1 x2' (each event to both people, unless a cancel to those told only). */
  emails: string[];
  /** Activities that began, in order. */
  entered: string[];
  /** Resolved before the quick booking try (or a reschedule) goes on: a test holds a step running. */
  hold: { booking?: Promise<void>; reschedule?: Promise<void> };
  meeting?: { provider: 'zoom' | 'daily'; id: string };
  times: LessonTimes;
  status: 'booked' | 'cancelled' | 'finished';
  version: number;
  toldBooked: boolean;
}

export function newWorld(times: LessonTimes, labels: Record<string, LessonTimes>): LessonWorld {
  return {
    zoomDown: false,
    dailyDown: false,
    zoomConnected: true,
    labels: new Map(Object.entries(labels).map(([label, t]) => [t.startsAt, label])),
    calls: [],
    refused: [],
    emails: [],
    hold: {},
    entered: [],
    times,
    status: 'booked',
    version: 1,
    toldBooked: false,
  };
}

const transient = (what: string) =>
  ApplicationFailure.create({ message: `${what}: 503`, type: 'transient', nonRetryable: false });

export function fakeLessonActivities(worlds: Map<string, LessonWorld>): Partial<LessonActivities> {
  const world = (lessonId: string): LessonWorld => {
    const found = worlds.get(lessonId);
    if (!found) throw ApplicationFailure.nonRetryable(`no world for ${lessonId}`);
    return found;
  };
  const at = (w: LessonWorld) => `@${w.labels.get(w.times.startsAt) ?? w.times.startsAt}`;

  function make(w: LessonWorld, provider: 'zoom' | 'daily'): void {
    const refusing = provider === 'zoom' ? w.zoomDown : w.dailyDown;
    if (refusing) {
      w.refused.push(`${provider}.create`);
      throw transient(`${provider} create`);
    }
    w.meeting = { provider, id: `${provider}-${w.calls.length}` };
    w.calls.push(`${provider}.create${at(w)}`);
  }

  const outcome = (w: LessonWorld) => ({
    provider: w.meeting!.provider,
    meetingId: w.meeting!.id,
    version: w.version,
    ...w.times,
  });

  async function createLessonMeeting(input: {
    booking: { id: string };
    forceDaily?: boolean;
    times?: LessonTimes & { version: number };
  }) {
    const w = world(input.booking.id);
    if (!w.meeting && w.status !== 'booked') return { cancelled: true as const };
    if (!w.meeting && input.times) {
      w.times = { startsAt: input.times.startsAt, endsAt: input.times.endsAt };
      w.version = Math.max(w.version, input.times.version);
    }
    if (!w.meeting) make(w, input.forceDaily || !w.zoomConnected ? 'daily' : 'zoom');
    return outcome(w);
  }

  async function sendLessonEmails(input: { lessonId: string; event: string; version: number }) {
    const w = world(input.lessonId);
    if (input.event !== 'cancelled' && w.status !== 'booked') return 0;
    if (input.event === 'cancelled' && !w.toldBooked) return 0;
    if (input.event === 'booked') w.toldBooked = true;
    const line =
      input.event === 'cancelled'
        ? `cancelled v${input.version}`
        : `${input.event} v${input.version}${at(w)}`;
    if (!w.emails.includes(line)) w.emails.push(line); // the ledger: once per event and version
    return 2;
  }

  return {
    createLessonMeeting,
    sendLessonEmails,
    async bookLessonMeeting(input) {
      const w = world(input.booking.id);
      w.entered.push('bookLessonMeeting');
      await w.hold.booking;
      const made = await createLessonMeeting(input);
      if ('cancelled' in made) return made;
      await sendLessonEmails({ lessonId: input.booking.id, event: 'booked', version: made.version });
      return { ...made, announced: true };
    },
    async rescheduleLessonMeeting(input) {
      const w = world(input.lessonId);
      w.entered.push('rescheduleLessonMeeting');
      await w.hold.reschedule;
      if (!w.meeting) throw ApplicationFailure.nonRetryable('no meeting to reschedule');
      w.version = Math.max(w.version, input.version);
      w.times = { startsAt: input.startsAt, endsAt: input.endsAt };
      const onZoom = w.meeting.provider === 'zoom';
      if (onZoom && (input.forceDaily || !w.zoomConnected)) {
        w.calls.push('zoom.delete');
        make(w, 'daily');
      } else if (onZoom && w.zoomDown) {
        w.refused.push('zoom.update');
        throw transient('zoom update');
      } else w.calls.push(`${w.meeting.provider}.update${at(w)}`);
      return outcome(w);
    },
    async cancelLessonMeeting(input) {
      const w = world(input.booking.id);
      w.status = 'cancelled';
      if (w.meeting) w.calls.push(`${w.meeting.provider}.delete`);
      w.meeting = undefined;
    },
    async moveLessonToDaily(input) {
      const w = world(input.lessonId);
      if (!w.meeting || w.status !== 'booked') return undefined;
      if (w.meeting.provider === 'zoom') {
        w.calls.push('zoom.delete');
        make(w, 'daily');
        w.version = Math.max(w.version, input.version);
      }
      return outcome(w);
    },
    async finishLesson(input) {
      const w = world(input.lessonId);
      if (w.meeting?.provider === 'daily') w.calls.push('daily.delete');
      w.status = 'finished';
    },
  };
}
