import Router from '@koa/router';
import Koa from 'koa';
import { startApi } from '../../src/api/server';
import { loadServiceEnv } from '../../src/config/service-env';
import { createContainer } from '../../src/container';

/**
 * The webhook figure's process: the real API on PORT (as `npm run api` starts it), and beside it,
 * in the same process, a bare Koa route on BARE_PORT that answers what the webhook answers and
 * does nothing else. The figure is the API's rate over the bare route's: a ratio that holds
 * across the 2× drift of this machine from day to day.
 */
async function main(): Promise<void> {
  const container = await createContainer(loadServiceEnv());
  await startApi(container, container.env.PORT, '127.0.0.1');
  const router = new Router();
  router.post('/webhooks/zoom', (ctx) => {
    ctx.body = { received: true };
  });
  const bare = new Koa();
  bare.use(router.routes());
  await new Promise<void>((resolve) => bare.listen(Number(process.env.BARE_PORT), '127.0.0.1', resolve));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
