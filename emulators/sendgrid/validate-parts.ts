import type { FieldError } from './validate-mail';

/**
 * SendGrid's checks on `content` and `attachments`. Its MIME types take no parameters
 * ("cannot contain ';', or CRLF characters"), except the one calendar invites need:
 * `text/calendar; method=…` as a body part (SendGrid's own invite example). text/plain comes
 * first, then text/html, then any other type.
 */
type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const error = (field: string, message: string): FieldError => ({ message, field, help: null });

const UNSAFE = /[;\r\n]/;
const CALENDAR_PART = /^text\/calendar; method=[A-Za-z-]+$/;
const ORDER = ['text/plain', 'text/html'];

export function checkContent(content: unknown[], errors: FieldError[]): void {
  content.forEach((c, i) => {
    if (!isObject(c) || typeof c.value !== 'string' || c.value.length === 0)
      errors.push(
        error(`content.${i}`, 'The content value must be a string at least one character in length.'),
      );
    if (!isObject(c) || typeof c.type !== 'string' || c.type.length === 0)
      errors.push(error(`content.${i}.type`, 'The content type is required.'));
    else if (UNSAFE.test(c.type) && !CALENDAR_PART.test(c.type))
      errors.push(error(`content.${i}.type`, "The content type cannot contain ';', or CRLF characters."));
  });
  const ranks = content.map((c) => {
    const rank = ORDER.indexOf(isObject(c) ? String(c.type) : '');
    return rank === -1 ? ORDER.length : rank;
  });
  if (ranks.some((rank, i) => i > 0 && rank < ranks[i - 1]!))
    errors.push(
      error(
        'content',
        'The text/plain content type must be first, followed by text/html, followed by any other content.',
      ),
    );
}

export function checkAttachments(attachments: unknown, errors: FieldError[]): void {
  if (attachments === undefined) return;
  if (!Array.isArray(attachments)) {
    errors.push(error('attachments', 'The attachments must be an array of attachment objects.'));
    return;
  }
  attachments.forEach((a, i) => {
    const field = `attachments.${i}`;
    if (!isObject(a) || typeof a.content !== 'string' || a.content.length === 0)
      errors.push(error(`${field}.content`, 'The attachment content is required.'));
    if (!isObject(a) || typeof a.filename !== 'string' || a.filename.length === 0)
      errors.push(error(`${field}.filename`, 'The attachment filename is required.'));
    if (isObject(a) && typeof a.type === 'string' && UNSAFE.test(a.type))
      errors.push(error(`${field}.type`, "The attachment type cannot contain ';', or CRLF characters."));
  });
}
