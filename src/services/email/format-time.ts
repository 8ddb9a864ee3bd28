/** One formatter per zone: building an Intl.DateTimeFormat costs far more than using one. */
const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-GB', {
        timeZone,
        weekday: 'long',
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      });
    } catch {
      formatter = null; // not a zone
    }
    // Zones are a closed set; anything else is remembered as invalid up to a bound.
    if (formatters.size < 1000) formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Shows a time in the recipient's own time zone, e.g. "Tuesday, 24 November 2026, 09:30 (Europe/Paris)". */
export function formatInTimeZone(date: Date, timeZone = 'UTC'): string {
  const zone = formatterFor(timeZone) ? timeZone : 'UTC';
  return `${(formatterFor(zone) as Intl.DateTimeFormat).format(date)} (${zone})`;
}

export function isValidTimeZone(timeZone: string): boolean {
  return formatterFor(timeZone) !== null;
}
