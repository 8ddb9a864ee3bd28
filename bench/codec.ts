import { resolve } from 'node:path';
import { Client } from '@temporalio/client';
import { defaultPayloadConverter, type DataConverter } from '@temporalio/common';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { workflowConverterPaths } from '../src/temporal/data-converter';
import { workerTuning } from '../src/worker/create-worker';
import { booking } from '../test/lessons/lesson-helpers';
import { testDataConverter } from '../test/support/payload-key';
import type { TestStack } from '../test/support/stack';
import { uniqueName } from '../test/support/temporal';
import { progressBar } from './lib/progress';
import type { Figure } from './lib/report';

const silent = (): void => undefined;
/** Off, on, on, off: the server slows as its store fills, and this order weighs on both alike. */
const ABBA = ['off', 'on', 'on', 'off'] as const;
const MICRO_ROUNDS = 5000;

type Mode = 'off' | 'on';

/**
 * The payload codec's cost, as a ratio in one run: `count` workflows at once that take a lesson's
 * input and return it (client encode, worker decode and encode, client decode), with the codec and
 * without, on the same server and worker settings. Goal: with the codec, at least 0.9 of without.
 */
export async function codecCostFigures(stack: TestStack, count: number, repeats = 1): Promise<Figure[]> {
  const order = Array.from({ length: repeats }, () => ABBA).flat();
  const rounds = order.length / 2;
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: resolve(__dirname, 'workflows/empty-workflow.ts'),
    ...workflowConverterPaths,
    logger: { log: silent, trace: silent, debug: silent, info: silent, warn: silent, error: silent },
  });
  const seconds: Record<Mode, number> = { off: 0, on: 0 };
  const perRound: string[] = [];
  for (const [i, mode] of order.entries()) {
    const dataConverter = mode === 'on' ? testDataConverter() : workflowConverterPaths;
    const taken = await echoSeconds(stack, count, workflowBundle, dataConverter, `${mode} ${i + 1}`);
    seconds[mode] += taken;
    perRound.push(`${mode} ${(count / taken).toFixed(1)}/s`);
  }
  const rate = (mode: Mode) => (rounds * count) / seconds[mode];
  const ratio = rate('on') / rate('off');
  return [
    {
      group: 'payload codec',
      name: `${count} lesson-input workflows at once, codec on (×${rounds})`,
      value: rate('on'),
      unit: '/s',
      reference: { name: 'codec off', value: rate('off') },
      goal: { description: '≥ 0.9 of codec off', met: ratio >= 0.9 },
      notes: perRound.join(', '),
    },
    await codecMicroFigure(),
  ];
}

async function echoSeconds(
  stack: TestStack,
  count: number,
  workflowBundle: { code: string },
  dataConverter: DataConverter,
  label: string,
): Promise<number> {
  const taskQueue = uniqueName('bench-codec');
  const client = new Client({
    connection: stack.temporal.connection,
    namespace: stack.env.TEMPORAL_NAMESPACE,
    dataConverter,
  });
  const worker = await Worker.create({
    connection: stack.temporal.nativeConnection,
    namespace: stack.env.TEMPORAL_NAMESPACE,
    taskQueue,
    workflowBundle,
    dataConverter,
    ...workerTuning(stack.env),
  });
  const bar = progressBar(count, `codec ${label}: ${count} workflows`);
  try {
    return await worker.runUntil(async () => {
      const started = performance.now();
      await Promise.all(
        Array.from({ length: count }, async (_, i) => {
          const input = { booking: booking(), bookingHash: 'h'.repeat(64) };
          await client.workflow.execute('echoWorkflow', {
            taskQueue,
            workflowId: `${taskQueue}-${i}`,
            args: [input],
          });
          bar.tick();
        }),
      );
      return (performance.now() - started) / 1000;
    });
  } finally {
    bar.stop();
  }
}

/** The codec's own CPU for one lesson input, encrypted and decrypted, in this process. */
async function codecMicroFigure(): Promise<Figure> {
  const codec = testDataConverter().payloadCodecs?.[0];
  if (!codec) throw new Error('the test data converter has no codec');
  const payload = defaultPayloadConverter.toPayload({ booking: booking(), bookingHash: 'h'.repeat(64) });
  const roundTrip = async () => codec.decode(await codec.encode([payload]));
  for (let i = 0; i < MICRO_ROUNDS / 10; i++) await roundTrip(); // warm-up
  const started = performance.now();
  for (let i = 0; i < MICRO_ROUNDS; i++) await roundTrip();
  const micros = ((performance.now() - started) * 1000) / MICRO_ROUNDS;
  return {
    group: 'payload codec',
    name: `encrypt + decrypt one lesson input (${payload.data?.length ?? 0} bytes)`,
    value: micros,
    unit: 'µs',
  };
}
