/** RFC 5545 encoders: TEXT values, parameter values (RFC 6868 carets) and line folding. */

const LINE_BREAK = /\r\n|\r|\n/g;

/** A TEXT value: backslash escapes. */
export function icsText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/**
 * A parameter value (CN=…). Backslash escapes mean nothing there: a value with `,` `;` or `:`
 * is DQUOTEd, and `^` `"` and line breaks use RFC 6868's `^^` `^'` `^n`, since a quoted value
 * can't hold a `"`.
 */
export function icsParamValue(value: string): string {
  const safe = value.replace(/\^/g, '^^').replace(/"/g, "^'").replace(LINE_BREAK, '^n');
  return /[,;:]/.test(safe) ? `"${safe}"` : safe;
}

/** Lines longer than 75 octets are folded with CRLF + space (the space counts), as the RFC requires. */
export function fold(line: string): string {
  const parts: string[] = [];
  let rest = line;
  for (let limit = 75; Buffer.byteLength(rest) > limit; limit = 74) {
    let cut = limit;
    while (Buffer.byteLength(rest.slice(0, cut)) > limit) cut--;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  parts.push(rest);
  return parts.join('\r\n ');
}
