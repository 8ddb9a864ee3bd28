/** RFC 5545 encoders: TEXT values, parameter values (RFC 6868 carets) and line folding. */

// RFC 5545 CONTROL: every C0 control but HTAB, and DEL. Line breaks are handled before this.
const CONTROLS = /[\x00-\x08\x0a-\x1f\x7f]/g;
const LINE_BREAK = /\r\n|\r|\n/g;

/** A TEXT value: backslash escapes, every line break (CRLF, CR, LF) as `\n`, other controls dropped. */
export function icsText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(LINE_BREAK, '\\n')
    .replace(CONTROLS, '');
}

/**
 * A parameter value (CN=…). Backslash escapes mean nothing there: a value with `,` `;` or `:`
 * is DQUOTEd, and `^` `"` and line breaks use RFC 6868's `^^` `^'` `^n`, since a quoted value
 * can't hold a `"`.
 */
export function icsParamValue(value: string): string {
  const safe = value.replace(/\^/g, '^^').replace(/"/g, "^'").replace(LINE_BREAK, '^n').replace(CONTROLS, '');
  return /[,;:]/.test(safe) ? `"${safe}"` : safe;
}

/**
 * Lines longer than 75 octets are folded with CRLF + space (the space counts), as the RFC
 * requires; a fold never splits a UTF-8 character, which would corrupt it.
 */
export function fold(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const char of line) {
    const size = Buffer.byteLength(char);
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = 74;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}
