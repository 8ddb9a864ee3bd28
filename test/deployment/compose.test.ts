import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
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
const compose = parse(readFileSync(resolve(root, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
};

test("docker-compose.yml follows Temporal's current layout with pinned images", () => {
  const { services } = compose;
  assert.deepEqual(Object.keys(services).sort(), [
    'api',
    'migrate',
    'postgresql',
    'temporal',
    'temporal-schema',
    'temporal-ui',
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
  assert.equal(dependsOn('temporal')['temporal-schema']?.condition, 'service_completed_successfully');
  assert.equal(dependsOn('worker').migrate?.condition, 'service_completed_successfully');
  assert.equal(services.worker?.container_name, undefined, 'the worker scales with --scale worker=N');
  assert.equal(services.worker?.ports, undefined);
});

test('every entry point the compose file and the Dockerfile run exists', () => {
  for (const service of Object.values(compose.services)) {
    const file = service.command?.find((part) => part.endsWith('.ts'));
    if (file) assert.ok(existsSync(resolve(root, file)), file);
  }
  const dockerfile = readFileSync(resolve(root, 'Dockerfile'), 'utf8');
  for (const [, file] of dockerfile.matchAll(/(scripts\/[\w-]+\.ts|src\/[\w/-]+\.ts)/g))
    assert.ok(existsSync(resolve(root, file as string)), file);
});
