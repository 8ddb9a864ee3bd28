import pino, { type Logger, type DestinationStream } from 'pino';
import { currentLogContext } from './observability/log-context';

export type { Logger };

/**
 * Paths pino censors before a line is written. Secrets must never reach the logs: tokens, OAuth
 * codes, keys, passwords, signatures and Authorization headers, including inside errors that HTTP
 * clients rethrow (SendGrid's carries its request headers). An OAuth code is censored where it
 * travels (query, form, body), not as any `code`: errors' codes (Zoom 124, ECONNREFUSED, SQL
 * states) are what operators read.
 */
export const redactedPaths = [
  'access_token',
  'refresh_token',
  'password',
  'token',
  'apiKey',
  'secret',
  '*.access_token',
  '*.refresh_token',
  'query.code',
  'form.code',
  'body.code',
  '*.query.code',
  '*.form.code',
  '*.body.code',
  '*.password',
  '*.token',
  '*.apiKey',
  '*.secret',
  '*.codeVerifier',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.Authorization',
  '*.headers.cookie',
  'err.config.headers.Authorization',
  'err.response.request.headers.Authorization',
  'err.request.headers.Authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.query.token',
  'req.query.sig',
];

export function createLogger(
  options: { level?: string; name?: string } = {},
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      name: options.name ?? 'tutor-meetings',
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: { paths: redactedPaths, censor: '[redacted]' },
      base: undefined,
      // lessonId, workflowId, tutorId… of the request or activity this line belongs to
      mixin: () => ({ ...currentLogContext() }),
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
