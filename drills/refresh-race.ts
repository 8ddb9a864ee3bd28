import { createDb } from '../src/db/knex';
import { createStores } from '../src/db/stores';
import { createZoomTokenService } from '../src/services/zoom-connection/token-service';
import { seedZoomConnections } from '../test/support/seed-tokens';
import { withDrillStack } from './lib/run-drill';
import type { Drill, TokensCheck } from './lib/types';

/**
 * Drill 6: 50 callers ask for one tutor's access token at once, just after it expired, through two
 * token services with their own connection pools (as two processes would). Zoom rotates refresh
 * tokens strictly, so a second refresh would leave someone holding a dead token: exactly one
 * refresh must reach Zoom, and every caller must get the same, working token.
 */
const CALLERS = 50;
const drill = { name: 'refresh-race', title: `${CALLERS} concurrent refreshes, one tutor` };

export const refreshRace: Drill = {
  ...drill,
  run: (ctx) =>
    withDrillStack(ctx, drill, { workers: 0 }, async ({ stack }) => {
      const { container } = stack;
      const [tutorId] = await seedZoomConnections(stack, 1, `race-${Date.now().toString(36)}`);
      const connection = await container.services.tokenService.getConnection(tutorId as string);
      if (!connection) throw new Error('the seeded tutor has no connection');
      await stack.database
        .db('oauth_service_tokens')
        .where({ user_id: tutorId })
        .update({ expires_at: new Date(Date.now() - 60_000) });
      const otherPool = createDb(stack.database.url, CALLERS / 2);
      const otherStores = createStores(otherPool, container.keyRing);
      const services = [
        container.services.tokenService,
        createZoomTokenService({
          ...container,
          db: otherPool,
          tokens: otherStores.tokens,
          events: otherStores.connectionEvents,
          revocations: container.services.grantRevocations,
        }),
      ];
      const before = stack.zoom.refreshCount(connection.uid);
      const started = performance.now();
      const answers = await Promise.allSettled(
        Array.from({ length: CALLERS }, (_, i) => services[i % 2]!.getAccessToken(tutorId as string)),
      );
      const durationMs = performance.now() - started;
      await otherPool.destroy();

      const refreshes = stack.zoom.refreshCount(connection.uid) - before;
      const tokens = answers.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
      const distinct = [...new Set(tokens)];
      const working = await Promise.all(
        distinct.map((t) =>
          container.zoomApi.getMe(t).then(
            (me) => me.id === connection.uid,
            () => false,
          ),
        ),
      );
      const failed = answers.filter((a) => a.status === 'rejected');
      const check: TokensCheck = {
        tokens: 1,
        lost: CALLERS - tokens.length + working.filter((w) => !w).length,
        doubleCounted: Math.max(0, refreshes - 1),
        wrong: refreshes === 0 || distinct.length !== 1 ? 1 : 0,
        problems: failed
          .slice(0, 3)
          .map((a) => `a caller failed: ${String((a as PromiseRejectedResult).reason)}`),
      };
      return {
        subjects: `1 token, ${CALLERS} callers`,
        durationMs,
        converged: true,
        tokens: check,
        notes: [
          `${refreshes} refresh(es) at Zoom; ${tokens.length}/${CALLERS} callers got a token; ${distinct.length} distinct, ${working.filter(Boolean).length} working`,
          ...check.problems,
        ],
      };
    }),
};
