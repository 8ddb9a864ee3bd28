import type { Lesson } from '../../lessons/types';
import type { Person } from '../../lessons/schemas';
import { lessonTopic } from '../meetings/lesson';
import type { JoinRole } from '../meetings/join-links';
import type { EmailMessage } from './email-message';
import { formatInTimeZone } from './format-time';
import { buildIcs } from './ics';
import { renderEmail } from './layout';

/** LessonBooked and its follow-ups. Each carries an .ics so calendars update themselves. */
export type LessonEvent = 'booked' | 'rescheduled' | 'cancelled' | 'moved-to-daily';

export interface LessonEmailInput {
  lesson: Lesson;
  event: LessonEvent;
  version: number;
  recipient: JoinRole;
  joinUrl?: string;
  providerLabel: string;
  /** Told to the tutor when Zoom could not be used. */
  zoomFallbackNote?: string;
  from: { email: string; name?: string };
  now: Date;
}

const subjects: Record<LessonEvent, (topic: string) => string> = {
  booked: (t) => `Lesson booked: ${t}`,
  rescheduled: (t) => `Lesson rescheduled: ${t}`,
  cancelled: (t) => `Lesson cancelled: ${t}`,
  'moved-to-daily': (t) => `New meeting link: ${t}`,
};

const openings: Record<LessonEvent, (other: Person, provider: string) => string> = {
  booked: (other, provider) =>
    `Your online lesson with ${other.name} is booked. It takes place on ${provider}.`,
  rescheduled: (other) =>
    `Your online lesson with ${other.name} has a new time. Your calendar invite is updated.`,
  cancelled: (other) => `Your online lesson with ${other.name} was cancelled.`,
  'moved-to-daily': (other) =>
    `Your online lesson with ${other.name} moved to Daily.co, because its Zoom meeting can no longer be used (the tutor's Zoom account was disconnected, or the meeting was deleted in Zoom). Use the link below.`,
};

export function lessonEmail(input: LessonEmailInput): EmailMessage {
  const { lesson, event, recipient } = input;
  const me = recipient === 'tutor' ? lesson.tutor : lesson.student;
  const other = recipient === 'tutor' ? lesson.student : lesson.tutor;
  const topic = lessonTopic(lesson);
  const cancelled = event === 'cancelled';
  const paragraphs = [openings[event](other, input.providerLabel)];
  if (recipient === 'tutor' && input.zoomFallbackNote) paragraphs.push(input.zoomFallbackNote);
  if (!cancelled)
    paragraphs.push(
      'The link opens the meeting from a few minutes before the start; it stays the same if the lesson moves.',
    );

  const { html, text } = renderEmail({
    title: subjects[event](topic),
    greeting: `Hi ${me.name},`,
    paragraphs,
    details: [
      ['Starts', formatInTimeZone(lesson.startsAt, me.timeZone)],
      ['Ends', formatInTimeZone(lesson.endsAt, me.timeZone)],
      [recipient === 'tutor' ? 'Student' : 'Tutor', other.name],
    ],
    actions:
      !cancelled && input.joinUrl
        ? [{ label: recipient === 'tutor' ? 'Start the lesson' : 'Join the lesson', url: input.joinUrl }]
        : [],
  });

  const method = cancelled ? 'CANCEL' : 'REQUEST';
  const ics = buildIcs({
    method,
    uid: `lesson-${lesson.id}@tutor-meetings`,
    sequence: input.version,
    start: lesson.startsAt,
    end: lesson.endsAt,
    summary: topic,
    description: input.joinUrl && !cancelled ? `Join: ${input.joinUrl}` : topic,
    url: cancelled ? undefined : input.joinUrl,
    organizer: input.from,
    attendees: [{ email: me.email, name: me.name }],
    stamp: input.now,
  });

  return {
    to: { email: me.email, name: me.name },
    subject: subjects[event](topic),
    html,
    text,
    calendar: { method, ics, filename: 'lesson.ics' },
    categories: ['lesson', event],
    customArgs: { lesson_id: lesson.id, event },
  };
}
