import type { z } from 'zod';

/** An answer the client caused or can act on: always 4xx/409/503 JSON `{ error, message, issues? }`. */
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

export function invalidRequest(where: string, error: z.ZodError): HttpError {
  const issues = error.issues.map((issue) => ({
    path: [where, ...issue.path].join('.'),
    message: issue.message,
  }));
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return new HttpError(400, 'invalid_request', `Invalid request: ${summary}`, { issues });
}
