import { escapeHtml as esc } from '../kit/html';
import type { OutboxMessage } from './outbox';

const frame = (title: string, body: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>body{font-family:sans-serif;margin:2em}td,th{padding:4px 12px;text-align:left;border-bottom:1px solid #ddd}pre{white-space:pre-wrap;background:#f6f6f6;padding:1em}</style></head><body>${body}</body></html>`;

export function outboxListPage(messages: OutboxMessage[], total: number): string {
  const rows = [...messages]
    .reverse()
    .map(
      (m) =>
        `<tr><td>${esc(m.receivedAt)}</td><td>${esc(m.to.join(', '))}</td><td><a href="/outbox/${m.id}">${esc(m.subject)}</a></td></tr>`,
    )
    .join('');
  return frame(
    'Mail outbox',
    `<h1>Mail outbox</h1><p>${total} message(s) accepted; the newest ${messages.length} are kept.</p><table><tr><th>Received</th><th>To</th><th>Subject</th></tr>${rows}</table>`,
  );
}

export function outboxMessagePage(m: OutboxMessage): string {
  const attachments = m.attachments.map((a) => `<li>${esc(a.filename)} (${esc(a.type)})</li>`).join('');
  const alternatives = m.alternatives
    .map((a) => `<h2>${esc(a.type)}</h2><pre>${esc(a.value)}</pre>`)
    .join('');
  return frame(
    m.subject,
    `<p><a href="/outbox">← outbox</a></p><h1>${esc(m.subject)}</h1><p>From ${esc(m.from)} to ${esc(m.to.join(', '))}, ${esc(m.receivedAt)}</p>` +
      `<iframe sandbox src="/outbox/${m.id}/html" style="width:100%;height:600px;border:1px solid #ccc"></iframe>` +
      `<h2>Text</h2><pre>${esc(m.text)}</pre>${alternatives}${attachments ? `<h2>Attachments</h2><ul>${attachments}</ul>` : ''}`,
  );
}
