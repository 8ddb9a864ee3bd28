import { describeCli, resolveTemporalCli } from './lib/temporal-cli';

/** `npm run temporal:cli`: finds or builds the Temporal CLI and prints where it is. */
resolveTemporalCli()
  .then((cli) => console.log(describeCli(cli)))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
