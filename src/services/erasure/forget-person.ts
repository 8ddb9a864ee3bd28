import type { Knex } from 'knex';
import type { Stores } from '../../db/stores';
import type { PersonLesson } from '../../db/stores/personal-data-store';
import type { Logger } from '../../logger';
import { BookingRejectedError } from '../meetings/booking-admission';
import type { LessonCommands } from '../meetings/lesson-commands';
import { dropTakenGrant } from '../revocation/drop-taken-grant';
import type { GrantRevocations } from '../zoom-connection/grant-revocations';
import type { WorkflowTraces } from './workflow-traces';
import type { TutorMeetingsToRewrite, ZoomAgendaRewriter } from './zoom-agendas';

export interface ForgetPersonDeps {
  logger: Logger;
  stores: Pick<Stores, 'personalData' | 'tokens'>;
  revocations: GrantRevocations;
  lessonCommands: Pick<LessonCommands, 'cancel'>;
  traces: WorkflowTraces;
  agendas: ZoomAgendaRewriter;
  hashEmail(email: string): string;
  /** How long --cancel-open waits for each cancelled lesson's workflow to close. */
  cancelWaitMs?: number;
}

export type ForgetPersonResult =
  | { outcome: 'unknown_user'; userId: string }
  | {
      outcome: 'refused';
      userId: string;
      reason: 'open_lessons' | 'not_cancelled';
      /** The lessons in the way, with why, when a cancel was refused. */
      lessons: Array<{ id: string; why?: string }>;
    }
  | {
      outcome: 'erased';
      userId: string;
      erased: Record<string, number>;
      cancelledLessonIds: string[];
      zoomMeetingsRewritten: number;
      /** Tutors whose Zoom refused us: their meetings of the person's lessons were not rewritten. */
      unreachableTutors: string[];
      /** Histories that still hold the person's (encrypted) data until the namespace's retention ends. */
      workflowIds: string[];
    };

const DEFAULT_CANCEL_WAIT_MS = 120_000;
const TOKENS_TABLE = 'oauth_service_tokens';

/**
 * Names and emails as one case-insensitive pattern, valid in JavaScript and in PostgreSQL. Each
 * value also in its JSON-escaped form (a quote, a backslash), as it appears in a JSON column's text.
 */
export function erasurePattern(values: string[]): string | null {
  const forms = values.flatMap((v) => [v, JSON.stringify(v).slice(1, -1)]);
  // Longest first: an email holding the name goes whole, not as "[erased]@domain".
  const escaped = [...new Set(forms)]
    .filter((v) => v.length > 0)
    .sort((a, b) => b.length - a.length)
    .map((v) => v.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&'));
  return escaped.length > 0 ? `(${escaped.join('|')})` : null;
}

/** The tutors in whose Zoom accounts the person's lessons (as a student) may have meetings. */
function meetingsNamingStudent(
  userId: string,
  lessons: PersonLesson[],
  pattern: RegExp,
): TutorMeetingsToRewrite[] {
  const byTutor = new Map<string, string[]>();
  for (const lesson of lessons) {
    if (lesson.role !== 'student' || lesson.tutorId === userId) continue;
    byTutor.set(lesson.tutorId, [...(byTutor.get(lesson.tutorId) ?? []), lesson.id]);
  }
  return [...byTutor].map(([tutorId, lessonIds]) => ({ tutorId, lessonIds, pattern }));
}

/**
 * `npm run ops -- forget-person <userId>`: removes or anonymizes everything that names the person
 * (PERSONAL_DATA_TABLES), drops their Zoom grant for durable revocation, rewrites the Zoom
 * meetings that name them, and records an audit row. Refuses while a lesson of theirs is open
 * (its workflow would write their name back), unless told to cancel those first. Safe to repeat.
 */
export function createForgetPerson(deps: ForgetPersonDeps) {
  const { personalData, tokens } = deps.stores;

  /** Cancels the open lessons the usual way and waits for their workflows; what stayed open. */
  async function cancelOpen(open: PersonLesson[]): Promise<Array<{ id: string; why?: string }>> {
    const stuck: Array<{ id: string; why?: string }> = [];
    for (const lesson of open) {
      if (lesson.status !== 'booked') continue; // cancelled or finished already: its workflow is closing
      try {
        await deps.lessonCommands.cancel(lesson.id);
      } catch (error) {
        // One that has ended closes by itself; any other refusal leaves it open.
        if (!(error instanceof BookingRejectedError)) throw error;
        if (error.reason !== 'lesson_ended') stuck.push({ id: lesson.id, why: error.message });
      }
    }
    const waitMs = deps.cancelWaitMs ?? DEFAULT_CANCEL_WAIT_MS;
    for (const lesson of open) {
      if (stuck.some((s) => s.id === lesson.id)) continue;
      if (!(await deps.traces.closed(lesson.workflowId, waitMs)))
        stuck.push({ id: lesson.id, why: `its workflow is still running after ${waitMs / 1000} s` });
    }
    return stuck;
  }

  /** The Zoom connection goes the way a disconnect's does: deleted, its grant revoked durably. */
  async function dropZoomConnection(userId: string, trx: Knex.Transaction): Promise<Record<string, number>> {
    const taken = await tokens.takeByUser(userId, trx);
    if (taken) await dropTakenGrant(deps, taken, 'person_erased', trx);
    return { [TOKENS_TABLE]: taken ? 1 : 0 };
  }

  return {
    async forget(userId: string, options: { cancelOpen?: boolean } = {}): Promise<ForgetPersonResult> {
      const person = await personalData.identify(userId);
      if (!person.exists) return { outcome: 'unknown_user', userId };
      const lessons = await personalData.lessonsOf(userId);
      const presence = await deps.traces.presenceOf(lessons.map((l) => l.workflowId));
      const open = lessons.filter((l) => l.status === 'booked' || presence.get(l.workflowId) === 'running');
      if (open.length > 0 && !options.cancelOpen)
        return {
          outcome: 'refused',
          userId,
          reason: 'open_lessons',
          lessons: open.map(({ id }) => ({ id })),
        };
      const stuck = open.length > 0 ? await cancelOpen(open) : [];
      if (stuck.length > 0) return { outcome: 'refused', userId, reason: 'not_cancelled', lessons: stuck };

      const pattern = erasurePattern([...person.names, ...person.emails]);
      const agendas = pattern
        ? await deps.agendas.rewrite(meetingsNamingStudent(userId, lessons, new RegExp(pattern, 'gi')))
        : { rewritten: 0, unreachable: [] };
      const workflowIds = [
        ...new Set([
          ...lessons.map((l) => l.workflowId).filter((id) => presence.get(id) !== 'absent'),
          ...(await deps.traces.taggedWith(userId, person.zoomUserIds)),
        ]),
      ].sort();
      const cancelledLessonIds = open.map((l) => l.id);
      const erased = await personalData.erase(
        {
          userId,
          pattern,
          emailHashes: person.emails.map((email) => ({ email, hash: deps.hashEmail(email) })),
        },
        { userId, cancelledLessonIds, workflowIds, zoomMeetingsRewritten: agendas.rewritten },
        (trx) => dropZoomConnection(userId, trx),
      );
      deps.logger.info(
        { userId, erased, cancelledLessons: cancelledLessonIds.length, workflows: workflowIds.length },
        'A person was forgotten',
      );
      return {
        outcome: 'erased',
        userId,
        erased,
        cancelledLessonIds,
        zoomMeetingsRewritten: agendas.rewritten,
        unreachableTutors: agendas.unreachable,
        workflowIds,
      };
    },
  };
}
export type ForgetPerson = ReturnType<typeof createForgetPerson>;
