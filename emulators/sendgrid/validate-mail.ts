import { checkAttachments, checkContent } from './validate-parts';

/** SendGrid's v3 mail/send checks, answering its own error shape: `{errors: [{message, field, help}]}`. */
export interface FieldError {
  message: string;
  field: string | null;
  help: string | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const error = (field: string | null, message: string): FieldError => ({ message, field, help: null });

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkAddress(value: unknown, field: string, errors: FieldError[]): void {
  if (!isObject(value) || typeof value.email !== 'string')
    errors.push(error(`${field}.email`, 'The email address is required.'));
  else if (!EMAIL.test(value.email))
    errors.push(error(`${field}.email`, 'Does not contain a valid address.'));
}

export function validateMail(body: unknown): FieldError[] {
  const errors: FieldError[] = [];
  if (!isObject(body)) return [error(null, 'Bad Request')];
  const personalizations = body.personalizations;
  if (!Array.isArray(personalizations) || personalizations.length === 0) {
    errors.push(
      error(
        'personalizations',
        'The personalizations field is required and must have at least one personalization.',
      ),
    );
  } else {
    personalizations.forEach((p, i) => {
      if (!isObject(p) || !Array.isArray(p.to) || p.to.length === 0)
        errors.push(
          error(
            `personalizations.${i}.to`,
            'The to array is required for all personalization objects, and must have at least one email object with a valid email address.',
          ),
        );
      else p.to.forEach((to, j) => checkAddress(to, `personalizations.${i}.to.${j}`, errors));
      const hasSubject = isObject(p) && typeof p.subject === 'string' && p.subject.length > 0;
      if (
        !hasSubject &&
        !(typeof body.subject === 'string' && body.subject.length > 0) &&
        typeof body.template_id !== 'string'
      ) {
        errors.push(
          error(
            'subject',
            'The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.',
          ),
        );
      }
    });
  }
  if (body.from === undefined)
    errors.push(
      error(
        'from',
        'The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.',
      ),
    );
  else checkAddress(body.from, 'from', errors);

  if (body.content !== undefined) {
    if (!Array.isArray(body.content) || body.content.length === 0)
      errors.push(error('content', 'The content value must be an array of at least one content object.'));
    else {
      checkContent(body.content, errors);
    }
  } else if (typeof body.template_id !== 'string') {
    errors.push(
      error('content', 'Unless a valid template_id is provided, the content parameter is required.'),
    );
  }
  checkAttachments(body.attachments, errors);
  if (body.categories !== undefined && (!Array.isArray(body.categories) || body.categories.length > 10))
    errors.push(error('categories', 'You may not have more than 10 categories per request.'));
  const sandbox =
    isObject(body.mail_settings) && isObject(body.mail_settings.sandbox_mode)
      ? body.mail_settings.sandbox_mode.enable
      : undefined;
  if (sandbox !== undefined && typeof sandbox !== 'boolean')
    errors.push(
      error('mail_settings.sandbox_mode.enable', 'The sandbox_mode enable parameter must be a boolean.'),
    );
  return errors;
}

export function isSandbox(body: Json): boolean {
  return (
    isObject(body.mail_settings) &&
    isObject(body.mail_settings.sandbox_mode) &&
    body.mail_settings.sandbox_mode.enable === true
  );
}
