import { Pool } from 'undici';

export type ApiClient = ReturnType<typeof apiClient>;

/**
 * The booking system's side of one API: a keep-alive pool, as the platform's client would hold.
 * undici's pool, not `fetch`, so that the load costs the shared cores little beside the service.
 */
export function apiClient(baseUrl: string, bookingToken: string, connections: number) {
  const pool = new Pool(baseUrl, { connections });
  const headers = { authorization: `Bearer ${bookingToken}`, 'content-type': 'application/json' };
  return {
    async book(body: unknown): Promise<number> {
      const answer = await pool.request({
        path: '/lessons',
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      });
      await answer.body.dump();
      return answer.statusCode;
    },
    /** 404 until the workflow recorded the lesson, then provider and links null until the meeting exists. */
    async meetingShown(lessonId: string): Promise<boolean> {
      const answer = await pool.request({ path: `/lessons/${lessonId}/meeting`, method: 'GET', headers });
      if (answer.statusCode === 404) return (await answer.body.dump(), false);
      if (answer.statusCode !== 200)
        throw new Error(`GET /lessons/:id/meeting answered ${answer.statusCode}`);
      const meeting = (await answer.body.json()) as { joinUrl?: string | null };
      return Boolean(meeting.joinUrl);
    },
    close: () => pool.close(),
  };
}
