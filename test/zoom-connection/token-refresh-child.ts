// A second process racing the test for the same tutor's refresh: prints the tokens it got.
import { createDb } from '../../src/db/knex';
import { KeyRing } from '../../src/crypto/key-ring';
import { createStores } from '../../src/db/stores';
import { createLogger } from '../../src/logger';
import { systemClock } from '../../src/clock';
import { createZoomApiClient } from '../../src/providers/zoom/api-client';
import { createZoomOAuthClient } from '../../src/providers/zoom/oauth-client';
import { createGrantRevocations } from '../../src/services/revocation/create-grant-revocations';
import { createZoomTokenService } from '../../src/services/zoom-connection/token-service';

async function main(): Promise<void> {
  const config = JSON.parse(process.env.RACE_CONFIG as string);
  const db = createDb(config.databaseUrl, 30);
  const logger = createLogger({ level: 'silent' });
  const stores = createStores(db, new KeyRing(config.key));
  const service = createZoomTokenService({
    db,
    tokens: stores.tokens,
    events: stores.connectionEvents,
    zoomOAuth: createZoomOAuthClient(config.zoom),
    zoomApi: createZoomApiClient(config.zoom),
    clock: systemClock,
    logger,
    // never used here: this process only refreshes
    revocations: createGrantRevocations({
      store: stores.grantRevocations,
      clock: systemClock,
      logger,
      wake: async () => {},
    }),
  });
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  const tokens = await Promise.all(
    Array.from({ length: config.calls }, () => service.getAccessToken(config.userId)),
  );
  process.stdout.write(`${JSON.stringify(tokens)}\n`);
  await db.destroy();
}

main().catch((error: unknown) => {
  process.stderr.write(String(error));
  process.exit(1);
});
