import { dailyRoomName } from '../../src/services/meetings/daily-meeting-service';
import type { TestStack } from '../../test/support/stack';
import type { MeetingsCheck } from './types';

const MARKER = /\[lesson:([^\]]+)\]/;
const MAX_PROBLEMS = 10;

/** How many live provider meetings each lesson has: Zoom meetings by their agenda marker, Daily rooms by name. */
function liveMeetings(stack: TestStack): Map<string, Array<{ provider: string; id: string }>> {
  const byKey = new Map<string, Array<{ provider: string; id: string }>>();
  const add = (key: string, provider: string, id: string): void =>
    void byKey.set(key, [...(byKey.get(key) ?? []), { provider, id }]);
  for (const meeting of stack.zoom.meetings()) {
    const lessonId = MARKER.exec(String(meeting.agenda ?? ''))?.[1];
    add(lessonId ? `zoom:${lessonId}` : `zoom-unmarked:${String(meeting.id)}`, 'zoom', String(meeting.id));
  }
  for (const room of stack.daily.rooms()) add(`daily:${room.name}`, 'daily', room.name);
  return byKey;
}

/**
 * Every booked lesson has exactly one `meetings` row and exactly one live provider meeting, the
 * one the row names. Meetings that belong to no booked lesson are problems too.
 */
export async function checkLessonMeetings(stack: TestStack, lessonIds: string[]): Promise<MeetingsCheck> {
  const rows = await stack.database
    .db('meetings as m')
    .join('oauth_service_providers as p', 'p.id', 'm.oauth_service_provider_id')
    .whereIn('m.lesson_id', lessonIds)
    .select<Array<{ lesson_id: string; meeting_id: string; provider: string }>>(
      'm.lesson_id',
      'm.meeting_id',
      'p.name as provider',
    );
  const live = liveMeetings(stack);
  const problems: string[] = [];
  let ok = 0;
  for (const lessonId of lessonIds) {
    const mine = rows.filter((r) => r.lesson_id === lessonId);
    const keys = [`zoom:${lessonId}`, `daily:${dailyRoomName(lessonId)}`];
    const meetings = keys.flatMap((k) => live.get(k) ?? []);
    keys.forEach((k) => live.delete(k));
    const row = mine[0];
    const matches = row && meetings[0]?.provider === row.provider && meetings[0]?.id === row.meeting_id;
    if (mine.length === 1 && meetings.length === 1 && matches) ok++;
    else
      problems.push(
        `${lessonId}: ${mine.length} row(s) ${row ? `(${row.provider} ${row.meeting_id})` : ''}, live: ${
          meetings.map((m) => `${m.provider} ${m.id}`).join(', ') || 'none'
        }`,
      );
  }
  for (const [key, meetings] of live) problems.push(`orphan ${key}: ${meetings.length} meeting(s)`);
  return { lessons: lessonIds.length, ok, orphans: live.size, problems: problems.slice(0, MAX_PROBLEMS) };
}
