import type { z } from 'zod';

/**
 * An answer the client caused or can act on: always 4xx/409/503 JSON `{ error, message, issues? }`;
 * with `issues`, also Laravel's `errors` (each field's messages), so a PHP client can show them as is.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface Issue {
  path: string;
  message: string;
}

/**
 * Laravel's validation shape: `{ "tutor.id": ["must not be empty"] }`, keyed by the body's field
 * (as Laravel names its input) and by `params.id` or `query.x` for the rest.
 */
export function laravelErrors(issues: Issue[]): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const { path, message } of issues) (errors[path.replace(/^body\./, '')] ??= []).push(message);
  return errors;
}

/** A 400 naming each field at fault, as `issues` and as Laravel's `errors`. */
export function invalidFields(code: string, message: string, issues: Issue[]): HttpError {
  return new HttpError(400, code, message, { issues, errors: laravelErrors(issues) });
}

export function invalidRequest(where: string, error: z.ZodError): HttpError {
  const issues = error.issues.map((issue) => ({
    path: [where, ...issue.path].join('.'),
    message: issue.message,
  }));
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return invalidFields('invalid_request', `Invalid request: ${summary}`, issues);
}
