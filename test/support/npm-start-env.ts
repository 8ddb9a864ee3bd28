/** What points the service at an existing stack: `npm start` must run on its own defaults instead. */
const STACK_ADDRESSES = [
  'DATABASE_URL',
  'TEMPORAL_ADDRESS',
  'ZOOM_API_BASE_URL',
  'DAILY_API_BASE_URL',
  'SENDGRID_API_BASE_URL',
  'PLATFORM_WEBHOOK_URL',
  'PUBLIC_BASE_URL',
];

/**
 * The environment for an `npm start` under test: this process's, less the test stack's addresses
 * (and the test runner's context, which would make a child report to it), with the given ports and
 * data folder, then `settings`.
 */
export function npmStartEnv(
  ports: Record<string, number>,
  dataDir: string,
  settings: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_TEST_CONTEXT')),
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    DATA_DIR: dataDir,
  };
  for (const name of STACK_ADDRESSES) delete env[name];
  return Object.assign(env, settings);
}
