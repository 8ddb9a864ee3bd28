/**
 * One of each character class that no id, name or key may carry (src/schemas/text.ts): C0 (NUL,
 * a line break), DEL, C1 (U+0085 NEL among them), the bidi controls and the Unicode separators.
 */
export const UNSAFE_CHARACTERS = {
  nul: '\u0000',
  lineFeed: '\n',
  del: '\u007f',
  c1: '\u0080',
  nextLine: '\u0085',
  c1Last: '\u009f',
  arabicLetterMark: '\u061c',
  leftToRightMark: '\u200e',
  rightToLeftMark: '\u200f',
  leftToRightEmbedding: '\u202a',
  rightToLeftOverride: '\u202e',
  lineSeparator: '\u2028',
  paragraphSeparator: '\u2029',
  leftToRightIsolate: '\u2066',
  popDirectionalIsolate: '\u2069',
} as const;

export const unsafeCharacters = Object.values(UNSAFE_CHARACTERS);
