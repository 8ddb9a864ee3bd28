import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { cachedClusterBinaries, DOCKERIZE_TEMPLATE } from '../../scripts/lib/cluster/binaries';
import { sqlToolEnv } from '../../scripts/lib/cluster/schema';
import {
  DYNAMIC_CONFIG_FILE,
  ONE_MACHINE_SERVER_VARIABLES,
  SHARED_SERVER_VARIABLES,
  TEMPORAL_SERVICES,
  temporalServerEnv,
  type ServerPorts,
} from '../../scripts/lib/cluster/server-env';
import { TEMPORAL_SERVER_VERSION, TEMPORAL_UI_VERSION } from '../../scripts/lib/cluster/versions';

// docker-compose.yml and `npm run cluster` describe one topology: this keeps the file from drifting
// from what the cluster smoke test boots.
const root = resolve(__dirname, '../..');
interface Service {
  image?: string;
  command?: string[] | string;
  environment?: Record<string, string>;
  volumes?: string[];
}
const { services } = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const temporalContainers = TEMPORAL_SERVICES.map((name) => ({ name, service: services[`temporal-${name}`] }));
const somePorts: ServerPorts = {
  frontendGrpc: 1,
  frontendHttp: 2,
  grpc: { frontend: 1, history: 3, matching: 4, worker: 5 },
  membership: { frontend: 6, history: 7, matching: 8, worker: 9 },
  metrics: { frontend: 10, history: 11, matching: 12, worker: 13 },
};
const someDb = { host: 'h', port: 1, user: 'u', password: 'p', temporal: 't', visibility: 'v' };
const sorted = (names: Iterable<string>): string[] => [...names].sort();

test('the compose file runs the same four services, one container each, as the native cluster', () => {
  for (const { name, service } of temporalContainers) {
    assert.ok(service, `docker-compose.yml has temporal-${name}`);
    assert.equal(service.environment?.SERVICES, name);
    assert.equal(temporalServerEnv(name, someDb, somePorts).SERVICES, name);
  }
  const serverImages = Object.entries(services).filter(([, s]) => s.image?.startsWith('temporalio/server:'));
  assert.deepEqual(
    sorted(serverImages.map(([n]) => n)),
    sorted(TEMPORAL_SERVICES.map((n) => `temporal-${n}`)),
  );
});

test('both run the same versions of the server, its schema tool and the UI', () => {
  for (const { service } of temporalContainers)
    assert.equal(service?.image, `temporalio/server:${TEMPORAL_SERVER_VERSION}`);
  assert.match(
    services['temporal-schema']?.image ?? '',
    new RegExp(`^temporalio/admin-tools:${TEMPORAL_SERVER_VERSION}-`),
  );
  assert.equal(services['temporal-ui']?.image, `temporalio/ui:${TEMPORAL_UI_VERSION}`);
});

test("both fill in the server's config template with the same variable names", () => {
  for (const { name, service } of temporalContainers) {
    const native = Object.keys(temporalServerEnv(name, someDb, somePorts));
    assert.deepEqual(sorted(Object.keys(service?.environment ?? {})), sorted(SHARED_SERVER_VARIABLES), name);
    assert.deepEqual(sorted(native), sorted([...SHARED_SERVER_VARIABLES, ...ONE_MACHINE_SERVER_VARIABLES]));
  }
  // The schema step: the same temporal-sql-tool settings, the same schema folders.
  const schema = services['temporal-schema'];
  assert.deepEqual(sorted(Object.keys(schema?.environment ?? {})), sorted(Object.keys(sqlToolEnv(someDb))));
  const command = [schema?.command ?? []].flat().join(' ');
  for (const store of ['temporal', 'visibility'])
    assert.match(command, new RegExp(`/schema/postgresql/v12/${store}/versioned`));
});

test('both read the one dynamic config file of the repository', () => {
  assert.ok(existsSync(DYNAMIC_CONFIG_FILE));
  const config = parse(readFileSync(DYNAMIC_CONFIG_FILE, 'utf8')) as Record<string, unknown>;
  for (const [key, values] of Object.entries(config)) {
    assert.ok(Array.isArray(values) && values.every((v) => 'value' in v), `${key} is a list of { value }`);
  }
  assert.equal(temporalServerEnv('history', someDb, somePorts).DYNAMIC_CONFIG_FILE_PATH, DYNAMIC_CONFIG_FILE);
  for (const { name, service } of temporalContainers) {
    const mounted = (service?.volumes ?? []).map((v) => v.split(':'));
    const file = mounted.find(([, target]) => target === service?.environment?.DYNAMIC_CONFIG_FILE_PATH);
    assert.ok(file, `temporal-${name} mounts the file DYNAMIC_CONFIG_FILE_PATH names`);
    assert.equal(resolve(root, file[0] as string), DYNAMIC_CONFIG_FILE);
  }
});

test('the search attributes are registered by the service one-shot in both, from the one list', () => {
  const commands = Object.entries(services).map(([name, s]) => [name, [s.command ?? []].flat().join(' ')]);
  for (const [name, command] of commands)
    assert.doesNotMatch(command as string, /search-attribute/, `${name} registers no attribute of its own`);
  assert.deepEqual(services.migrate?.command, ['node', 'dist/db/setup-cli.js']);
});

const binaries = cachedClusterBinaries();
const dockerizeTemplate = binaries && join(binaries.serverDir, DOCKERIZE_TEMPLATE);
test(
  "every variable either side sets is one the server's own templates read",
  { skip: binaries ? false : 'the Temporal server is not built: `npm run cluster` builds it once' },
  () => {
    // SERVICES is read by the image's start script, which turns it into --service (as we do).
    const readBy = (file: string, pattern: RegExp): Set<string> =>
      new Set([...readFileSync(file, 'utf8').matchAll(pattern)].map(([, name]) => name as string));
    const rendered = readBy(join(binaries?.serverDir ?? '', 'config', 'docker.yaml'), /env "(\w+)"/g);
    for (const name of [...SHARED_SERVER_VARIABLES, ...ONE_MACHINE_SERVER_VARIABLES])
      if (name !== 'SERVICES') assert.ok(rendered.has(name), `the server's template reads ${name}`);
    // The image may render the module's older template instead (dockerize): it reads the same names.
    if (dockerizeTemplate && existsSync(dockerizeTemplate)) {
      const dockerized = readBy(dockerizeTemplate, /\.Env\.(\w+)/g);
      for (const name of SHARED_SERVER_VARIABLES)
        if (name !== 'SERVICES') assert.ok(dockerized.has(name), `config_template.yaml reads ${name}`);
    }
  },
);
