import type { TestStack } from './stack';

/**
 * Connects `count` tutors at once: users and grants made inside the Zoom emulator, rows written
 * through the service's own store (encrypted as in production). Far faster than `count` browser
 * flows, for sweeps of thousands of tokens.
 */
export async function seedZoomConnections(
  stack: TestStack,
  count: number,
  prefix: string,
): Promise<string[]> {
  const { tokens } = stack.container.stores;
  const usersStore = stack.database.db;
  const tutorIds: string[] = [];
  for (let start = 0; start < count; start += 500) {
    const batch = Array.from({ length: Math.min(500, count - start) }, (_, i) => `${prefix}-${start + i}`);
    await usersStore('users')
      .insert(batch.map((id) => ({ id, email: `${id}@example.com`, name: id })))
      .onConflict('id')
      .ignore();
    for (const tutorId of batch) {
      const user = stack.zoom.createUser({ email: `${tutorId}@zoom.example.com` });
      const issued = stack.zoom.model.tokens.createGrant(
        user.id,
        stack.env.ZOOM_CLIENT_ID,
        'user:read meeting:write',
      );
      await tokens.saveConnection({
        userId: tutorId,
        uid: user.id,
        email: user.email,
        code: 'seeded',
        accessToken: issued.accessToken,
        refreshToken: issued.refreshToken,
        expiresIn: issued.expiresIn,
        expiresAt: new Date(Date.now() + issued.expiresIn * 1000),
      });
      tutorIds.push(tutorId);
    }
  }
  return tutorIds;
}
