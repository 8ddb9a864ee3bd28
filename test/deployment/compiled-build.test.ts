import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { buildService, scratchBuildDir, type ServiceBuild } from '../../scripts/lib/build-service';
import { childProcessEnv, startServiceProcess, type Started } from '../../scripts/lib/child-process';
import { freePort } from '../../src/net/free-port';
import { booking, emailsFor, waitFor } from '../lessons/lesson-helpers';
import { startTestStack, type TestStack } from '../support/stack';

// The image runs `npm run build`'s output under plain Node with production dependencies only
// (Dockerfile); this runs that same output against a test stack.
const root = resolve(__dirname, '../..');
let stack: TestStack;
let build: ServiceBuild;
const children: Started[] = [];
before(async () => {
  [stack, build] = await Promise.all([
    startTestStack({ worker: false }),
    buildService(scratchBuildDir('compiled-build')),
  ]);
});
after(async () => {
  await Promise.all(children.map((child) => child.stop()));
  await stack?.close();
});

const serviceEnv = (extra: Record<string, string> = {}) =>
  childProcessEnv({
    ...stack.rawEnv,
    LOG_LEVEL: 'info',
    WORKFLOW_BUNDLE_PATH: build.workflowBundlePath,
    ...extra,
  });

async function start(entry: string, ready: RegExp, extra?: Record<string, string>): Promise<void> {
  const child = await startServiceProcess(entry, serviceEnv(extra), ready, 60_000);
  child.child.stdout?.resume();
  child.child.stderr?.resume();
  children.push(child);
}

test('the compiled setup, worker, API and ops CLI run a booking end to end under plain Node', async () => {
  const run = promisify(execFile);
  const setup = await run(process.execPath, [build.entry('setup')], { env: serviceEnv() });
  assert.match(setup.stdout, /Database up to date/);

  const apiPort = await freePort();
  await Promise.all([
    start(build.entry('worker'), /worker running/),
    start(build.entry('api'), /API listening/, { PORT: String(apiPort) }),
  ]);
  const b = booking();
  const answer = await fetch(`http://127.0.0.1:${apiPort}/lessons`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.env.BOOKING_API_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(b),
  });
  assert.equal(answer.status, 202);
  const sent = await waitFor('both LessonBooked emails', async () => {
    const emails = emailsFor(stack, b.id, 'booked');
    return emails.length === 2 && emails;
  });
  assert.equal(sent.length, 2);

  const ops = await run(process.execPath, [build.entry('ops'), 'failed'], { env: serviceEnv() });
  assert.equal(ops.stderr.includes('Error'), false, ops.stderr);
});

test('everything src imports is a production dependency (the image installs no others)', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const files = (readdirSync(join(root, 'src'), { recursive: true }) as string[]).filter((f) =>
    f.endsWith('.ts'),
  );
  const imported = new Set<string>();
  for (const file of files) {
    const source = readFileSync(join(root, 'src', file), 'utf8');
    for (const [, specifier] of source.matchAll(
      /^(?:import|export)\s(?!type\s)[^'"]*?from\s+'([^'.][^']*)'/gm,
    )) {
      const name = specifier!.startsWith('@')
        ? specifier!.split('/').slice(0, 2).join('/')
        : specifier!.split('/')[0]!;
      if (!name.startsWith('node:') && !builtinModules.includes(name)) imported.add(name);
    }
  }
  assert.ok(imported.has('@temporalio/worker') && imported.has('knex'), 'the scan finds imports');
  assert.deepEqual(
    [...imported].filter((name) => !(name in pkg.dependencies)),
    [],
    'imported by src but missing from dependencies',
  );
});
