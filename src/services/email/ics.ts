import { fold, icsParamValue, icsText } from './ics-encoding';

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

function person(role: 'ORGANIZER' | 'ATTENDEE', p: { email: string; name?: string }): string {
  const cn = p.name ? `;CN=${icsParamValue(p.name)}` : '';
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
