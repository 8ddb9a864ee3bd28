import { zonedFormatter } from '../../util/time-zones';

/** Shows a time in the recipient's own time zone, e.g. "Tuesday, 24 November 2026, 09:30 (Europe/Paris)". */
export function formatInTimeZone(date: Date, timeZone = 'UTC'): string {
  const zone = zonedFormatter(timeZone) ? timeZone : 'UTC';
  return `${(zonedFormatter(zone) as Intl.DateTimeFormat).format(date)} (${zone})`;
}
