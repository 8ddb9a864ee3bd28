import { z } from 'zod';

/** A room as Daily answers it; `config` holds the properties that were set. */
export const dailyRoom = z.looseObject({
  id: z.string().optional(),
  name: z.string(),
  url: z.string(),
  privacy: z.string().optional(),
  api_created: z.boolean().optional(),
  created_at: z.string().optional(),
  config: z.record(z.string(), z.unknown()).optional(),
});
export type DailyRoom = z.infer<typeof dailyRoom>;

export const meetingTokenAnswer = z.looseObject({ token: z.string().min(1) });

/** Every Daily error: `{error: <type>, info: <text>}`. */
export const dailyError = z.looseObject({ error: z.string(), info: z.string().optional() });
