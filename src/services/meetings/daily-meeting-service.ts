import { createHash } from 'node:crypto';
import { isProviderError } from '../../providers/provider-error';
import {
  dailyJoinUrl,
  type DailyClient,
  type DailyRoom,
  type DailyRoomProperties,
} from '../../providers/daily/client';
import { minutes, toUnixSeconds } from './lesson';
import type { Lesson, LessonTiming } from '../../lessons/types';
import type { Person } from '../../lessons/schemas';

/**
 * DailyMeetingService from the seed: rooms named after the lesson, with emoji reactions and hand
 * raising, open from the early-join window until the end plus grace; private, so that only a
 * meeting token (carrying the user's identity) gets in.
 */
export const dailyRoomName = (lessonId: string): string =>
  `lesson-${lessonId.replace(/[^A-Za-z0-9_-]/g, '-')}`.slice(0, 128);

const DAILY_USER_ID_MAX = 36;

/**
 * The user_id in a meeting token: Daily takes at most 36 characters. A longer id keeps its start,
 * for people reading Daily's logs, and ends with a hash of the whole, so that two ids sharing
 * their first 36 characters (namespaced ids often do) stay two people.
 */
export function dailyUserId(id: string): string {
  if (id.length <= DAILY_USER_ID_MAX) return id;
  const hash = createHash('sha256').update(id).digest('base64url');
  return `${id.slice(0, 20)}~${hash.slice(0, DAILY_USER_ID_MAX - 21)}`;
}

function roomProperties(startsAt: Date, endsAt: Date, timing: LessonTiming): DailyRoomProperties {
  return {
    nbf: toUnixSeconds(new Date(startsAt.getTime() - minutes(timing.earlyJoinMinutes))),
    exp: toUnixSeconds(new Date(endsAt.getTime() + minutes(timing.graceMinutes))),
    eject_at_room_exp: true,
    enable_emoji_reactions: true,
    enable_hand_raising: true,
    enable_prejoin_ui: true,
    enable_chat: true,
    enable_screenshare: true,
  };
}

export function createDailyMeetingService(daily: DailyClient, timing: LessonTiming) {
  return {
    /** DailyMeetingService::createMeeting($lesson); a room of that name already there is reused. */
    async createMeeting(lesson: Pick<Lesson, 'id' | 'startsAt' | 'endsAt'>): Promise<DailyRoom> {
      const name = dailyRoomName(lesson.id);
      const properties = roomProperties(lesson.startsAt, lesson.endsAt, timing);
      try {
        return await daily.createRoom({ name, privacy: 'private', properties });
      } catch (error) {
        if (!isProviderError(error, 'conflict')) throw error;
        return daily.updateRoom(name, { properties });
      }
    },

    /** DailyMeetingService::createJoinURL($host, $roomName, $user): a meeting token with the user's identity. */
    async createJoinURL(
      host: boolean,
      room: { name: string; url: string },
      user: Person,
      expiresAt: Date,
    ): Promise<string> {
      const token = await daily.createMeetingToken({
        room_name: room.name,
        user_name: user.name,
        user_id: dailyUserId(user.id),
        is_owner: host,
        exp: toUnixSeconds(expiresAt),
        eject_at_token_exp: true,
      });
      return dailyJoinUrl(room.url, token);
    },

    /** DailyMeetingService::updateMeeting($meeting, $start, $finish): moves the room's window. */
    async updateMeeting(roomName: string, startsAt: Date, endsAt: Date): Promise<DailyRoom> {
      return daily.updateRoom(roomName, { properties: roomProperties(startsAt, endsAt, timing) });
    },

    /** DailyMeetingService::deleteMeeting($meeting); a room already gone counts as deleted. */
    async deleteMeeting(roomName: string): Promise<void> {
      try {
        await daily.deleteRoom(roomName);
      } catch (error) {
        if (!isProviderError(error, 'not-found')) throw error;
      }
    },

    roomExpiry: (endsAt: Date): Date => new Date(endsAt.getTime() + minutes(timing.graceMinutes)),
  };
}
export type DailyMeetingService = ReturnType<typeof createDailyMeetingService>;
