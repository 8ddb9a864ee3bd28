import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestStack, type TestStack } from '../support/stack';
import { api, booking } from './lesson-helpers';

let stack: TestStack;
before(async () => (stack = await startTestStack({ worker: false })));
after(async () => stack?.close());

test('a NUL or a line break in a booking text is a 400 naming the field, and writes no lesson and no user', async () => {
  const cases: Array<[string, (b: ReturnType<typeof booking>) => void]> = [
    ['title', (b) => (b.title = 'Algebra\u0000')],
    ['tutor.name', (b) => (b.tutor.name = 'Ada\u0000Tutor')],
    ['student.id', (b) => (b.student.id = `s\u0000${b.id}`)],
    ['title', (b) => (b.title = 'Algebra\r\nBcc: someone@example.com')],
    ['student.name', (b) => (b.student.name = 'Sam\nStudent')],
  ];
  for (const [field, spoil] of cases) {
    const b = booking();
    spoil(b);
    const res = await api(stack).book(b);
    const body = await res.text();
    assert.equal(res.status, 400, `${field}: ${body}`);
    assert.match(body, new RegExp(field.split('.').pop() as string), field);
    assert.equal(await stack.database.db('lessons').where({ id: b.id }).first(), undefined, field);
    assert.equal(await stack.database.db('users').where({ id: b.tutor.id }).first(), undefined, field);
  }
});

test('names and titles with accents, apostrophes and emoji are still booked', async () => {
  const b = booking({ title: "Álgebra d'été 📐" });
  b.tutor.name = 'Zoë O’Brien';
  const res = await api(stack).book(b);
  assert.equal(res.status, 202, await res.text());
});
