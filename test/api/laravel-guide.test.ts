import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { onPath } from '../../scripts/lib/executables';
import { generateKey } from '../../src/crypto/key-ring';
import { servicePayloadCodec } from '../../src/temporal/data-converter';
import { emailsFor, PATIENT_COMMANDS, waitFor } from '../lessons/lesson-helpers';
import { useTestStack } from '../support/use-test-stack';

/**
 * The Laravel guide's PHP, run as written: its `php` blocks (not the `php no-run` ones, which need
 * Laravel or the Temporal PHP SDK) make one script, run against the test stack.
 */
const run = promisify(execFile);
const GUIDE = join(__dirname, '../../docs/integrations/laravel.md');
const PHP_MISSING =
  'PHP is not installed: apt-get install php-cli php-curl (Debian packages) to run the Laravel guide';

/** The hint when PHP or its curl extension is missing (checked once, when the file loads). */
function phpSkip(): string | undefined {
  if (!onPath('php', process.env)) return PHP_MISSING;
  const curl = spawnSync('php', ['-r', "exit(function_exists('curl_init') ? 0 : 1);"]);
  return curl.status === 0 ? undefined : PHP_MISSING;
}
const skip = phpSkip();

const stack = useTestStack({ env: PATIENT_COMMANDS });

async function guideScript(): Promise<string> {
  const guide = await readFile(GUIDE, 'utf8');
  const blocks = [...guide.matchAll(/^```php\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  assert.ok(blocks.length >= 5, 'the guide has its runnable blocks');
  return blocks.join('\n');
}

/** Runs the guide's script, with `harness` (PHP) after it, in a scratch folder. */
async function runPhp(harness: string, env: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'laravel-guide-'));
  try {
    const file = join(dir, 'guide.php');
    await writeFile(file, `${await guideScript()}\n${harness}\n`);
    const { stdout } = await run('php', ['-d', 'display_errors=stderr', file], {
      env: { PATH: process.env.PATH ?? '', ...env },
      timeout: 60_000,
    });
    return stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test(
  'the guide’s PHP books, reschedules (once, for two sends of one request id) and cancels over HTTP',
  { skip },
  async () => {
    const output = await runPhp('', {
      TUTOR_MEETINGS_URL: stack.api.url,
      BOOKING_API_TOKEN: stack.env.BOOKING_API_TOKEN,
    });
    type Answer = [number, Record<string, unknown>];
    const result = JSON.parse(output) as {
      lessonId: number;
      booked: Answer;
      moved: Answer;
      movedAgain: Answer;
      cancelled: Answer;
    };
    const lessonId = String(result.lessonId);
    assert.equal(result.booked[0], 202, JSON.stringify(result.booked));
    assert.equal(result.booked[1].lessonId, lessonId, 'an integer id answered as a string');
    assert.match(String(result.booked[1].joinUrl), /\/meetings\/\d+\/join\?as=tutor/);
    assert.equal(result.moved[0], 200, JSON.stringify(result.moved));
    assert.deepEqual(result.movedAgain, result.moved, 'the same request id, the same answer');
    assert.equal(result.cancelled[0], 200, JSON.stringify(result.cancelled));
    assert.equal(result.cancelled[1].status, 'cancelled');
    assert.equal((await stack.container.stores.lessons.find(lessonId))?.status, 'cancelled');
    await waitFor('cancelled emails', async () => emailsFor(stack, lessonId, 'cancelled').length === 2);
    assert.equal(emailsFor(stack, lessonId, 'rescheduled').length, 2, 'moved once');
  },
);

test(
  'the guide’s PHP verifies a Standard Webhooks signature, and refuses a tampered body, a wrong key and an old timestamp',
  { skip },
  async () => {
    const key = randomBytes(24);
    const secret = `whsec_${key.toString('base64')}`;
    const id = `msg_${randomBytes(8).toString('hex')}`;
    const now = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({
      type: 'lesson.cancelled',
      timestamp: new Date().toISOString(),
      data: { lessonId: '12' },
    });
    const sign = (content: string, withKey = key) =>
      `v1,${createHmac('sha256', withKey).update(content).digest('base64')}`;
    const headers = (timestamp: number, signature: string) => ({
      'Webhook-Id': id,
      'Webhook-Timestamp': String(timestamp),
      'Webhook-Signature': `v1,bm90IG91cnM= ${signature}`,
    });
    const cases: Array<[string, Record<string, string>, string]> = [
      ['valid', headers(now, sign(`${id}.${now}.${body}`)), body],
      ['tampered', headers(now, sign(`${id}.${now}.${body}`)), body.replace('12', '13')],
      ['wrong key', headers(now, sign(`${id}.${now}.${body}`, randomBytes(24))), body],
      ['old', headers(now - 301, sign(`${id}.${now - 301}.${body}`)), body],
    ];
    const harness = `
foreach (json_decode(getenv('CASES'), true) as [$name, $headers, $body]) {
    try {
        $outcome = json_encode(verifyPlatformEvent(getenv('SECRET'), $headers, $body));
    } catch (UnexpectedValueException $e) {
        $outcome = 'refused (' . $e->getMessage() . ')';
    }
    echo $name, ': ', $outcome, PHP_EOL;
}`;
    const output = await runPhp(harness, { SECRET: secret, CASES: JSON.stringify(cases) });
    assert.deepEqual(output.trim().split('\n'), [
      `valid: ${body}`,
      'tampered: refused (no valid webhook signature)',
      'wrong key: refused (no valid webhook signature)',
      'old: refused (webhook timestamp too old or too new)',
    ]);
  },
);

test(
  'the guide’s PHP codec seals a payload that the service’s codec opens, and opens one the service sealed',
  { skip },
  async () => {
    const oldKey = generateKey();
    const key = generateKey();
    const codec = servicePayloadCodec({ PAYLOAD_ENCRYPTION_KEY: key, PAYLOAD_ENCRYPTION_OLD_KEYS: [oldKey] });
    const request = {
      startsAt: '2026-12-08T11:00:00+00:00',
      endsAt: '2026-12-08T12:00:00+00:00',
      requestId: `move-7-${'0123456789'.repeat(15)}`, // over 127 bytes: a two-byte length
    };
    const answer = {
      provider: 'zoom',
      meetingId: '981',
      version: 2,
      superseded: false,
      note: 'é'.repeat(200),
    };
    // Sealed under the old key: PHP finds it among its keys by the payload's key id.
    const [sealedByUs] = await servicePayloadCodec({
      PAYLOAD_ENCRYPTION_KEY: oldKey,
      PAYLOAD_ENCRYPTION_OLD_KEYS: [],
    }).encode([defaultPayloadConverter.toPayload(answer)]);
    const base64 = (bytes?: Uint8Array | null) => Buffer.from(bytes ?? []).toString('base64');
    const ours = {
      metadata: Object.fromEntries(
        Object.entries(sealedByUs!.metadata ?? {}).map(([k, v]) => [k, base64(v)]),
      ),
      data: base64(sealedByUs!.data),
    };
    const harness = `
$sealed = sealTemporalPayload(temporalPayloadBytes(['encoding' => 'json/plain'], getenv('REQUEST')), getenv('KEY'));
$ours = json_decode(getenv('OURS'), true);
$opened = openTemporalPayload(
    ['metadata' => array_map('base64_decode', $ours['metadata']), 'data' => base64_decode($ours['data'])],
    [getenv('KEY'), getenv('OLD_KEY')],
);
echo json_encode([
    'sealed' => ['metadata' => $sealed['metadata'], 'data' => base64_encode($sealed['data'])],
    'opened' => base64_encode($opened),
    'plain' => openTemporalPayload(['metadata' => ['encoding' => 'json/plain'], 'data' => '{}'], [getenv('KEY')]),
]);`;
    const output = await runPhp(harness, {
      KEY: key,
      OLD_KEY: oldKey,
      REQUEST: JSON.stringify(request),
      OURS: JSON.stringify(ours),
    });
    const result = JSON.parse(output) as {
      sealed: { metadata: Record<string, string>; data: string };
      opened: string;
      plain: null;
    };
    assert.equal(result.sealed.metadata.encoding, 'binary/encrypted');
    assert.doesNotMatch(Buffer.from(result.sealed.data, 'base64').toString('latin1'), /move-7|startsAt/);
    const [opened] = await codec.decode([
      {
        metadata: Object.fromEntries(
          Object.entries(result.sealed.metadata).map(([k, v]) => [k, Buffer.from(v)]),
        ),
        data: Buffer.from(result.sealed.data, 'base64'),
      },
    ]);
    assert.deepEqual(defaultPayloadConverter.fromPayload(opened!), request);
    const answered = temporal.api.common.v1.Payload.decode(Buffer.from(result.opened, 'base64'));
    assert.deepEqual(defaultPayloadConverter.fromPayload(answered), answer);
    assert.equal(result.plain, null, 'a payload that is not encrypted is left as it is');
  },
);
