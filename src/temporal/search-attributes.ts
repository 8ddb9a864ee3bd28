import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * The one list of custom search attributes. The dev server's flags, the worker's registration
 * and the compose setup step all read it; workflows use the typed keys.
 */
export const TutorId = defineSearchAttributeKey('TutorId', SearchAttributeType.KEYWORD);
export const LessonId = defineSearchAttributeKey('LessonId', SearchAttributeType.KEYWORD);
export const MeetingProvider = defineSearchAttributeKey('MeetingProvider', SearchAttributeType.KEYWORD);
export const ZoomUserId = defineSearchAttributeKey('ZoomUserId', SearchAttributeType.KEYWORD);
export const ReconnectionOutcome = defineSearchAttributeKey(
  'ReconnectionOutcome',
  SearchAttributeType.KEYWORD,
);
export const ReconnectionAttempts = defineSearchAttributeKey('ReconnectionAttempts', SearchAttributeType.INT);

export const customSearchAttributes = [
  TutorId,
  LessonId,
  MeetingProvider,
  ZoomUserId,
  ReconnectionOutcome,
  ReconnectionAttempts,
] as const;

/** The CLI's spelling of each type, for `temporal server start-dev --search-attribute Name=Type`. */
const cliTypeNames: Record<string, string> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

export function searchAttributeCliFlags(): string[] {
  return customSearchAttributes.flatMap((key) => [
    '--search-attribute',
    `${key.name}=${cliTypeNames[key.type]}`,
  ]);
}
