import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { resolve } from 'node:path';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { connectTestTemporal, uniqueName, type TestTemporal } from '../support/temporal';
import type { SmokeActivities } from '../support/workflows/smoke-workflow';
import { workflowConverterPaths } from '../../src/temporal/data-converter';
import { testDataConverter } from '../support/payload-key';

let database: TestDatabase;
let temporal: TestTemporal;

before(async () => {
  [database, temporal] = await Promise.all([createTestDatabase(), connectTestTemporal()]);
});
after(async () => {
  await temporal?.close();
  await database?.close();
});

test('a workflow runs an activity on the real dev server, and the activity writes and reads PostgreSQL', async () => {
  const { db } = database;
  const activities: SmokeActivities = {
    async recordVisit(name) {
      await db('users').insert({ id: name, name }).onConflict('id').merge({ updated_at: db.fn.now() });
      const row = await db('users').where({ id: name }).first<{ name: string }>();
      return row?.name === name ? 1 : 0;
    },
  };
  const taskQueue = uniqueName('smoke');
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: resolve(__dirname, '../support/workflows/smoke-workflow.ts'),
    ...workflowConverterPaths,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
  });
  const worker = await Worker.create({
    connection: temporal.nativeConnection,
    taskQueue,
    workflowBundle,
    dataConverter: testDataConverter(),
    activities,
  });
  const result = await worker.runUntil(
    temporal.client.workflow.execute('smokeWorkflow', {
      taskQueue,
      workflowId: uniqueName('smoke'),
      args: ['ada'],
    }),
  );
  assert.equal(result, 'ada visited 1 time(s)');
  const row = await db('users').where({ id: 'ada' }).first();
  assert.equal(row.name, 'ada');
});
