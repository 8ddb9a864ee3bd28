import type { z } from 'zod';
import { appEnv } from '../config/app-env';

/** Configuration travels in the lesson workflow's input: workflow code cannot read the environment. */
export interface LessonSettings {
  earlyJoinMinutes: number;
  graceMinutes: number;
  zoomFallbackMarginMinutes: number;
  /**
   * The least time Zoom is retried before the Daily fallback, for a lesson whose start minus the
   * margin has passed already (booked or moved at short notice). Tests shorten it.
   */
  zoomRetryFloorSeconds: number;
}

/** One minute, as Zoom's retries begin at a second and double: a few tries before Daily. */
export const ZOOM_RETRY_FLOOR_SECONDS = 60;

/** The lesson settings' variables, with the service's defaults: the worker and the typed client read the same. */
export const lessonSettingsEnv = appEnv.pick({
  EARLY_JOIN_MINUTES: true,
  LESSON_GRACE_MINUTES: true,
  ZOOM_FALLBACK_MARGIN_MINUTES: true,
});

export function lessonSettings(env: z.infer<typeof lessonSettingsEnv>): LessonSettings {
  return {
    earlyJoinMinutes: env.EARLY_JOIN_MINUTES,
    graceMinutes: env.LESSON_GRACE_MINUTES,
    zoomFallbackMarginMinutes: env.ZOOM_FALLBACK_MARGIN_MINUTES,
    zoomRetryFloorSeconds: ZOOM_RETRY_FLOOR_SECONDS,
  };
}

/** From the process environment, validated as the service validates it. */
export const lessonSettingsFromEnv = (source: NodeJS.ProcessEnv = process.env): LessonSettings =>
  lessonSettings(lessonSettingsEnv.parse(source));

/** How far ahead a lesson may start: the API and the typed client refuse later ones alike. */
export const bookingHorizonDaysFromEnv = (source: NodeJS.ProcessEnv = process.env): number =>
  appEnv.pick({ MAX_BOOKING_HORIZON_DAYS: true }).parse(source).MAX_BOOKING_HORIZON_DAYS;
