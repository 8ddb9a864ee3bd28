/** Shows a time in the recipient's own time zone, e.g. "Tuesday, 24 November 2026, 09:30 (Europe/Paris)". */
export function formatInTimeZone(date: Date, timeZone = 'UTC'): string {
  const zone = isValidTimeZone(timeZone) ? timeZone : 'UTC';
  const formatted = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);
  return `${formatted} (${zone})`;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
    return true;
  } catch {
    return false;
  }
}
