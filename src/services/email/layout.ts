/** One look for every email: a short HTML page with a call to action, and its plain-text twin. */
export interface EmailContent {
  title: string;
  greeting: string;
  paragraphs: string[];
  /** Label/value rows, e.g. the lesson's time. */
  details?: Array<[string, string]>;
  actions?: Array<{ label: string; url: string }>;
  footer?: string;
}

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => escapes[c] ?? c);
}

export function renderEmail(content: EmailContent): { html: string; text: string } {
  const details = content.details ?? [];
  const actions = content.actions ?? [];
  const footer =
    content.footer ?? 'You receive this email because you use online lessons on our tutoring platform.';

  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(content.title)}</title></head>
<body style="margin:0;padding:24px;background:#f4f5f7;font-family:Helvetica,Arial,sans-serif;color:#1f2933">
<table role="presentation" width="100%" style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:32px">
<tr><td>
<h1 style="font-size:22px;margin:0 0 16px">${escapeHtml(content.title)}</h1>
<p style="font-size:16px;line-height:1.5">${escapeHtml(content.greeting)}</p>
${content.paragraphs.map((p) => `<p style="font-size:16px;line-height:1.5">${escapeHtml(p)}</p>`).join('\n')}
${
  details.length
    ? `<table role="presentation" style="margin:16px 0;font-size:15px">${details
        .map(
          ([k, v]) =>
            `<tr><td style="padding:4px 16px 4px 0;color:#52606d">${escapeHtml(k)}</td><td style="padding:4px 0"><strong>${escapeHtml(v)}</strong></td></tr>`,
        )
        .join('')}</table>`
    : ''
}
${actions
  .map(
    (a) =>
      `<p style="margin:24px 0"><a href="${escapeHtml(a.url)}" style="background:#2563eb;color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:bold">${escapeHtml(a.label)}</a></p>`,
  )
  .join('\n')}
<p style="font-size:12px;color:#7b8794;margin-top:32px">${escapeHtml(footer)}</p>
</td></tr></table></body></html>`;

  const text = [
    content.title,
    '',
    content.greeting,
    '',
    ...content.paragraphs.flatMap((p) => [p, '']),
    ...details.map(([k, v]) => `${k}: ${v}`),
    ...(details.length ? [''] : []),
    ...actions.flatMap((a) => [`${a.label}: ${a.url}`]),
    ...(actions.length ? [''] : []),
    footer,
  ].join('\n');

  return { html, text };
}
