import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger } from '../../src/logger';
import { addLogContext, idsOf, withLogContext } from '../../src/observability/log-context';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger(
    { level: 'debug' },
    new Writable({ write: (chunk, _e, done) => (lines.push(JSON.parse(String(chunk))), done()) }),
  );
  return { logger, lines };
}

test('lines written inside a unit of work carry its ids, across awaits, and nothing leaks outside it', async () => {
  const { logger, lines } = capture();
  await withLogContext({ requestId: 'r1', lessonId: 'L1' }, async () => {
    await new Promise((r) => setTimeout(r, 5));
    addLogContext({ tutorId: 'T1', workflowId: undefined });
    logger.info('inside');
    await withLogContext({ activityType: 'createLessonMeeting' }, async () => logger.info('nested'));
  });
  logger.info('outside');
  assert.deepEqual(
    lines.map(({ msg, requestId, lessonId, tutorId, activityType }) => ({
      msg,
      requestId,
      lessonId,
      tutorId,
      activityType,
    })),
    [
      { msg: 'inside', requestId: 'r1', lessonId: 'L1', tutorId: 'T1', activityType: undefined },
      { msg: 'nested', requestId: 'r1', lessonId: 'L1', tutorId: 'T1', activityType: 'createLessonMeeting' },
      {
        msg: 'outside',
        requestId: undefined,
        lessonId: undefined,
        tutorId: undefined,
        activityType: undefined,
      },
    ],
  );
  assert.equal('workflowId' in (lines[0] ?? {}), false, 'undefined fields are not written');
});

test('two concurrent requests keep their own ids', async () => {
  const { logger, lines } = capture();
  const work = (id: string, delay: number) =>
    withLogContext({ requestId: id }, async () => {
      await new Promise((r) => setTimeout(r, delay));
      addLogContext({ lessonId: `lesson-${id}` });
      await new Promise((r) => setTimeout(r, delay));
      logger.info(id);
    });
  await Promise.all([work('a', 10), work('b', 1)]);
  for (const line of lines) assert.equal(line.lessonId, `lesson-${String(line.msg)}`);
  assert.equal(lines.length, 2);
});

test('idsOf reads the ids an activity input names, directly or through a booking', () => {
  assert.deepEqual(idsOf({ lessonId: 'L1', version: 2 }), { lessonId: 'L1' });
  assert.deepEqual(idsOf({ tokenId: 7, tutorId: 'T1' }), { tokenId: '7', tutorId: 'T1' });
  assert.deepEqual(idsOf({ booking: { id: 'L2', tutor: { id: 'T2' } } }), { lessonId: 'L2', tutorId: 'T2' });
  assert.deepEqual(idsOf(undefined), {});
  assert.deepEqual(idsOf('L3'), {});
});

test('a context field never overrides redaction: secrets stay censored', () => {
  const { logger, lines } = capture();
  withLogContext({ lessonId: 'L1' }, () => logger.info({ access_token: 'tok-secret' }, 'refreshed'));
  assert.equal(lines[0]?.access_token, '[redacted]');
  assert.equal(lines[0]?.lessonId, 'L1');
});
