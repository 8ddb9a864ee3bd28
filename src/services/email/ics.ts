/**
 * A calendar invite (RFC 5545) that calendars update by themselves: a stable UID per lesson,
 * a SEQUENCE that rises with each change, METHOD:REQUEST for bookings and reschedules,
 * METHOD:CANCEL on cancel.
 */
export interface CalendarEvent {
  uid: string;
  sequence: number;
  method: 'REQUEST' | 'CANCEL';
  start: Date;
  end: Date;
  summary: string;
  description: string;
  url?: string;
  organizer: { email: string; name?: string };
  attendees: Array<{ email: string; name?: string }>;
  stamp: Date;
}

function icsDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function icsText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Lines longer than 75 octets are folded with CRLF + space (the space counts), as the RFC requires. */
function fold(line: string): string {
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

function person(role: 'ORGANIZER' | 'ATTENDEE', p: { email: string; name?: string }): string {
  const cn = p.name ? `;CN=${icsText(p.name)}` : '';
  return `${role}${role === 'ATTENDEE' ? ';ROLE=REQ-PARTICIPANT' : ''}${cn}:mailto:${p.email}`;
}

export function buildIcs(event: CalendarEvent): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//tutor-meetings//lesson meetings//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${event.method}`,
    'BEGIN:VEVENT',
    `UID:${event.uid}`,
    `SEQUENCE:${event.sequence}`,
    `DTSTAMP:${icsDate(event.stamp)}`,
    `DTSTART:${icsDate(event.start)}`,
    `DTEND:${icsDate(event.end)}`,
    `SUMMARY:${icsText(event.summary)}`,
    `DESCRIPTION:${icsText(event.description)}`,
    ...(event.url ? [`URL:${event.url}`] : []),
    person('ORGANIZER', event.organizer),
    ...event.attendees.map((a) => person('ATTENDEE', a)),
    `STATUS:${event.method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED'}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
