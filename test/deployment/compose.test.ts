import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';

const root = resolve(__dirname, '../..');
interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  container_name?: string;
  ports?: string[];
}
const compose = parse(readFileSync(resolve(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};

test("docker-compose.yml follows Temporal's current layout with pinned images", () => {
  const { services } = compose;
  assert.deepEqual(Object.keys(services).sort(), [
    'api',
    'migrate',
    'postgresql',
    'temporal-frontend',
    'temporal-history',
    'temporal-matching',
    'temporal-schema',
    'temporal-ui',
    'temporal-worker',
    'worker',
  ]);
  for (const [name, service] of Object.entries(services)) {
    if (service.image) {
      assert.match(service.image, /:[0-9][\w.-]*$/, `${name} pins its image version`);
      assert.doesNotMatch(service.image, /auto-setup/, 'auto-setup is deprecated');
    } else assert.ok(service.build, `${name} is built from the Dockerfile`);
  }
  const dependsOn = (name: string) => services[name]?.depends_on as Record<string, { condition: string }>;
  assert.equal(dependsOn('temporal-schema').postgresql?.condition, 'service_healthy');
  for (const service of ['frontend', 'history', 'matching', 'worker'])
    assert.equal(
      dependsOn(`temporal-${service}`)['temporal-schema']?.condition,
      'service_completed_successfully',
    );
  assert.equal(dependsOn('migrate')['temporal-frontend']?.condition, 'service_healthy');
  assert.equal(dependsOn('worker').migrate?.condition, 'service_completed_successfully');
  assert.equal(services.worker?.container_name, undefined, 'the worker scales with --scale worker=N');
  assert.equal(services.worker?.ports, undefined);
});

test('every entry point the compose file and the Dockerfile run is built from a source file', () => {
  // `npm run build` compiles src/<path>.ts to dist/<path>.js (tsconfig.build.json: rootDir src).
  const sourceOf = (built: string): string =>
    resolve(root, built.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts'));
  const dockerfile = readFileSync(resolve(root, 'Dockerfile'), 'utf8');
  const entries = [
    ...Object.values(compose.services).flatMap((service) => service.command ?? []),
    ...[...dockerfile.matchAll(/"(dist\/[\w/-]+\.js)"/g)].map(([, file]) => file as string),
  ].filter((part) => /^dist\/.+\.js$/.test(part));
  assert.deepEqual([...new Set(entries)].sort(), [
    'dist/api/server.js',
    'dist/db/setup-cli.js',
    'dist/worker.js',
  ]);
  for (const file of entries) assert.ok(existsSync(sourceOf(file)), `${file} has no ${sourceOf(file)}`);
  assert.match(dockerfile, /RUN npm run build/);
});

const composeCli = ['docker-compose', 'docker'].find(
  (cli) =>
    spawnSync(cli, cli === 'docker' ? ['compose', 'version'] : ['version'], { stdio: 'ignore' }).status === 0,
);

test(
  '`docker compose config` accepts the file with the settings of .env.example',
  {
    skip: composeCli
      ? false
      : 'neither docker-compose nor docker compose is installed: apt-get install docker-compose (Debian), as .ci/run does',
  },
  () => {
    // A copy, with .env.example as the .env that the file reads, so that no local .env is involved.
    const dir = mkdtempSync(join(tmpdir(), 'compose-config-'));
    copyFileSync(resolve(root, 'docker-compose.yml'), join(dir, 'docker-compose.yml'));
    copyFileSync(resolve(root, '.env.example'), join(dir, '.env'));
    const args = composeCli === 'docker' ? ['compose', 'config'] : ['config'];
    const result = spawnSync(composeCli as string, args, { cwd: dir, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const resolved = parse(result.stdout) as {
      services: Record<string, { environment: Record<string, string>; expose?: string[] }>;
    };
    for (const name of ['migrate', 'worker', 'api']) {
      const env = resolved.services[name]?.environment ?? {};
      assert.equal(
        env.TEMPORAL_ADDRESS,
        'temporal-frontend:7233',
        `${name} reaches Temporal inside the network`,
      );
      assert.match(
        env.DATABASE_URL ?? '',
        /@postgresql:5432\//,
        `${name} reaches PostgreSQL inside the network`,
      );
      assert.equal(env.APP_ENV, 'development', `${name} reads .env`);
    }
    for (const name of ['worker', 'api']) assert.deepEqual(resolved.services[name]?.expose, ['9464']);
    // env_file wins over the image's ENV: .env.example's empty WORKFLOW_BUNDLE_PATH must not
    // hide the bundle the image built, or each worker would bundle the workflows again at start.
    const imageBundle = /WORKFLOW_BUNDLE_PATH=(\S+)/.exec(
      readFileSync(resolve(root, 'Dockerfile'), 'utf8'),
    )?.[1];
    assert.ok(imageBundle, 'the Dockerfile names its workflow bundle');
    assert.equal(resolved.services.worker?.environment.WORKFLOW_BUNDLE_PATH, imageBundle);
  },
);
