import { log, setHandler, workflowInfo } from '@temporalio/workflow';
import { z } from 'zod';
import { LESSON_COMMAND_REFUSALS as REFUSED } from '../lessons/command-refusals';
import {
  cancelSignal,
  cancelUpdate,
  lessonStateQuery,
  rescheduleSignal,
  rescheduleUpdate,
  zoomDisconnectedSignal,
} from '../lessons/definitions';
import { cancelRequestSchema, rescheduleRequestSchema, type LessonTimes } from '../lessons/schemas';
import type { CancelResult, RescheduleResult } from '../lessons/types';
import { checkArgs, checkLessonInput, refuse, type Checked } from './lesson-inputs';
import { cancelAnswer, newRun, requestReschedule, rescheduleAnswer, type LessonRun } from './lesson-run';

/**
 * The lesson's signals, Updates and query. Each checks its input first: an invalid signal is
 * dropped (counted and logged, nothing else), an invalid Update is refused by its validator
 * (nothing reaches the history). A signal and an Update of one name do the same thing.
 */

/** Commands with no input take none (or null). */
const noInput = z.null().optional();
const optionalCancel = cancelRequestSchema.nullish();

/** What a request id stands for: the same body is the same command. */
const rescheduleBody = (t: LessonTimes) => `reschedule ${Date.parse(t.startsAt)} ${Date.parse(t.endsAt)}`;
const CANCEL_BODY = 'cancel';

/** The checked start input, and the handlers that record each command for the steps to act on. */
export function openLesson(input: unknown): LessonRun {
  const run = newRun(checkLessonInput(input));
  const drop = (signal: string, problem: string): void => {
    run.state.droppedSignals = (run.state.droppedSignals ?? 0) + 1;
    const { workflowId } = workflowInfo();
    log.warn(`${signal} signal dropped (${workflowId}): ${problem}`, { workflowId, signal, problem });
  };
  /** A command's input for a signal: dropped when invalid, or when its request id was used otherwise. */
  const signalled = <T>(signal: string, checked: Checked<T>, body: (value: T) => string) => {
    if (!checked.ok) return void drop(signal, checked.problem);
    const requestId = (checked.value as { requestId?: string | null } | null | undefined)?.requestId;
    const seen = run.requests.check(requestId, body(checked.value));
    if (seen === 'conflict') return void drop(signal, `requestId ${requestId} was used for another command`);
    return seen === 'new' ? { value: checked.value, requestId } : undefined; // a repeat: applied already
  };

  setHandler(rescheduleSignal, (...args: unknown[]) => {
    const command = signalled('reschedule', checkArgs(rescheduleRequestSchema, args), rescheduleBody);
    if (command)
      run.requests.remember(
        command.requestId,
        rescheduleBody(command.value),
        requestReschedule(run, command.value),
      );
  });
  setHandler(cancelSignal, (...args: unknown[]) => {
    const command = signalled('cancel', checkArgs(optionalCancel, args), () => CANCEL_BODY);
    if (!command) return;
    run.cancelRequested = true;
    run.requests.remember(command.requestId, CANCEL_BODY, 0);
  });
  setHandler(zoomDisconnectedSignal, (...args: unknown[]) => {
    const checked = checkArgs(noInput, args);
    if (checked.ok) run.zoomGone = true;
    else drop('zoomDisconnected', checked.problem);
  });
  setHandler(lessonStateQuery, (...args: unknown[]) => {
    const checked = checkArgs(noInput, args);
    if (!checked.ok) refuse(REFUSED.invalid, `lessonState takes no input: ${checked.problem}`);
    return run.state;
  });
  setUpdateHandlers(run);
  return run;
}

/** A checked Update input; the validator refuses what a signal would drop. */
function updateInput<T extends { requestId?: string | null } | null | undefined>(
  run: LessonRun,
  update: string,
  checked: Checked<T>,
  body: (value: T) => string,
): T {
  if (!checked.ok) refuse(REFUSED.invalid, `${update}: ${checked.problem}`);
  const requestId = checked.value?.requestId;
  if (run.requests.check(requestId, body(checked.value)) === 'conflict')
    refuse(REFUSED.requestIdReused, `${update}: requestId ${requestId} was used for another command`);
  return checked.value;
}

function setUpdateHandlers(run: LessonRun): void {
  const reschedule = (args: unknown[]) =>
    updateInput(run, 'reschedule', checkArgs(rescheduleRequestSchema, args), rescheduleBody);
  setHandler(
    rescheduleUpdate,
    (...args: unknown[]): Promise<RescheduleResult> => {
      const request = reschedule(args); // validated already; on replay the validator does not run
      const known = run.requests.get(request.requestId);
      if (known) return (known.answer ??= rescheduleAnswer(run, known.seq)) as Promise<RescheduleResult>;
      const seq = requestReschedule(run, request);
      const answer = rescheduleAnswer(run, seq);
      const remembered = run.requests.remember(request.requestId, rescheduleBody(request), seq);
      if (remembered) remembered.answer = answer;
      return answer;
    },
    {
      validator: (...args: unknown[]) => {
        const request = reschedule(args);
        // A repeat is answered as before; a new reschedule of a lesson cancelled or over is refused.
        if (run.requests.get(request.requestId) || !(run.cancelRequested || run.finishing)) return;
        refuse(
          REFUSED.lessonClosed,
          `reschedule: the lesson is ${run.cancelRequested ? 'cancelled' : 'over'}`,
        );
      },
    },
  );

  const cancel = (args: unknown[]) =>
    updateInput(run, 'cancel', checkArgs(optionalCancel, args), () => CANCEL_BODY);
  setHandler(
    cancelUpdate,
    (...args: unknown[]): Promise<CancelResult> => {
      const request = cancel(args);
      run.cancelRequested = true;
      if (!run.requests.get(request?.requestId)) run.requests.remember(request?.requestId, CANCEL_BODY, 0);
      return cancelAnswer(run); // the same for every cancel of the lesson
    },
    {
      validator: (...args: unknown[]) => {
        cancel(args);
        if (run.finishing && !run.cancelRequested) refuse(REFUSED.lessonClosed, 'cancel: the lesson is over');
      },
    },
  );
}
