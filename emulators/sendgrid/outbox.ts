import { randomBytes } from 'node:crypto';

export interface OutboxMessage {
  id: string;
  receivedAt: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Body parts other than text and HTML, e.g. a `text/calendar; method=REQUEST` invite. */
  alternatives: Array<{ type: string; value: string }>;
  attachments: Array<{ filename: string; type: string; content: string }>;
  categories: string[];
  customArgs: Record<string, string>;
}

type Json = Record<string, unknown>;

/** Every accepted message, capped (the newest N are kept) with a counter that never drops. */
export class Outbox {
  messages: OutboxMessage[] = [];
  total = 0;

  constructor(private readonly capacity = 1000) {}

  accept(body: Json, nowMs: number): OutboxMessage {
    const personalizations = body.personalizations as Array<Json>;
    const content = (body.content as Array<{ type: string; value: string }> | undefined) ?? [];
    const message: OutboxMessage = {
      id: randomBytes(11).toString('base64url'),
      receivedAt: new Date(nowMs).toISOString(),
      from: String((body.from as Json).email),
      to: personalizations.flatMap((p) => (p.to as Json[]).map((t) => String(t.email))),
      subject: String(personalizations[0]?.subject ?? body.subject ?? ''),
      text: content.find((c) => c.type === 'text/plain')?.value ?? '',
      html: content.find((c) => c.type === 'text/html')?.value ?? '',
      alternatives: content.filter((c) => c.type !== 'text/plain' && c.type !== 'text/html'),
      attachments: ((body.attachments as Json[] | undefined) ?? []).map((a) => ({
        filename: String(a.filename),
        type: String(a.type ?? 'application/octet-stream'),
        content: Buffer.from(String(a.content ?? ''), 'base64').toString('utf8'),
      })),
      categories: (body.categories as string[] | undefined) ?? [],
      customArgs: (body.custom_args as Record<string, string> | undefined) ?? {},
    };
    this.messages.push(message);
    if (this.messages.length > this.capacity) this.messages.splice(0, this.messages.length - this.capacity);
    this.total++;
    return message;
  }

  find(filter: { to?: string; subject?: string; customArg?: [string, string] } = {}): OutboxMessage[] {
    return this.messages.filter(
      (m) =>
        (!filter.to || m.to.includes(filter.to)) &&
        (!filter.subject || m.subject.includes(filter.subject)) &&
        (!filter.customArg || m.customArgs[filter.customArg[0]] === filter.customArg[1]),
    );
  }
}
