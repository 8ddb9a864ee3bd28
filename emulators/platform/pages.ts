import { escapeHtml as esc } from '../kit/html';
import type { ReceivedEvent } from './received-events';

const STYLE =
  'body{font-family:sans-serif;margin:2em}section{border-bottom:1px solid #ddd;padding:.5em 0}pre{white-space:pre-wrap;background:#f6f6f6;padding:1em}.ok{color:#070}.bad{color:#b00}';

const pretty = (body: string): string => {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
};

const typeOf = (body: string): string => {
  try {
    return String((JSON.parse(body) as { type?: unknown }).type ?? '?');
  } catch {
    return '?';
  }
};

/** Every received event, the newest first: its headers, its body and whether its signature held. */
export function eventsPage(events: ReceivedEvent[], total: number): string {
  const sections = [...events]
    .reverse()
    .map((e) => {
      const verdict = e.verified
        ? `<span class="ok">signature verified</span>`
        : `<span class="bad">refused: ${esc(e.error ?? '')}</span>`;
      const headers = Object.entries(e.headers)
        .map(([name, value]) => `${esc(name)}: ${esc(value)}`)
        .join('\n');
      return (
        `<section><h2>${esc(typeOf(e.body))}</h2><p>${esc(e.receivedAt)} · ${verdict}${e.repeat ? ' · a repeat of this webhook-id' : ''}</p>` +
        `<pre>${headers}</pre><pre>${esc(pretty(e.body))}</pre></section>`
      );
    })
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Platform events</title><style>${STYLE}</style></head><body><h1>Platform events</h1><p>${total} event(s) received; the newest ${events.length} are kept. Each is verified with the Standard Webhooks reference library, as the platform would.</p>${sections}</body></html>`;
}
