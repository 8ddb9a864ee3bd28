import { z } from 'zod';
import { trimBaseUrl } from '../util/base-url';

/** Thrown when settings are missing or malformed; its message names every bad variable at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Environment variables treat '' as unset, so an empty line in a .env file means "use the default". */
function withoutEmptyValues(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
  );
}

/** Validates `env` against a zod object whose keys are environment variable names. */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(withoutEmptyValues(env));
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    return `${name}: ${issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message}`;
  });
  throw new ConfigError(problems);
}

/** Runs a process entry point, turning a ConfigError into one clear message and exit code 78 (EX_CONFIG). */
export function exitOnConfigError(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
  throw error;
}

const base64Key = () =>
  z.string().refine((v) => Buffer.from(v, 'base64').length === 32, { message: 'must be 32 bytes in base64' });

/** Shared field builders, so every module spells a URL, a port or a secret the same way. */
export const envField = {
  /** An AES-256 key, 32 bytes in base64. */
  encryptionKey: base64Key,
  /** Old keys of a rotation, comma-separated: they still decrypt. */
  oldEncryptionKeys: () =>
    z
      .string()
      .optional()
      .transform((v) =>
        v
          ? v
              .split(',')
              .map((k) => k.trim())
              .filter(Boolean)
          : [],
      )
      .pipe(z.array(base64Key())),
  url: () => z.url({ message: 'must be an absolute URL' }),
  /** A URL that paths are appended to (`${base}/path`): read without its trailing slashes. */
  baseUrl: () => z.url({ message: 'must be an absolute URL' }).transform(trimBaseUrl),
  port: () => z.coerce.number().int().min(0).max(65535),
  positiveInt: () => z.coerce.number().int().positive(),
  secret: (minLength = 16) =>
    z.string().min(minLength, { message: `must be at least ${minLength} characters` }),
  boolean: () =>
    z
      .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
      .transform((v) => v === 'true' || v === '1'),
};
