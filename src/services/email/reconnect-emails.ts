import type { EmailMessage } from './email-message';
import { renderEmail } from './layout';

/** ReconnectZoom (a reminder, attempts left) and its last form, on the day the token is deleted. */
export function reconnectZoomEmail(input: {
  to: { email: string; name?: string };
  reconnectUrl: string;
  attempts: number;
  maxAttempts: number;
  disconnected: boolean;
}): EmailMessage {
  const name = input.to.name ?? 'there';
  const subject = input.disconnected
    ? 'Zoom was disconnected from your lessons'
    : 'Please reconnect your Zoom account';
  const paragraphs = input.disconnected
    ? [
        'We could not reach Zoom with your connection for several days, so we disconnected it.',
        'Your upcoming lessons now use Daily.co; their links were emailed. Reconnect Zoom to use it for new lessons.',
      ]
    : [
        'We could not reach Zoom with your connection today. Zoom may have revoked it, or the app was removed from your account.',
        `Please reconnect it. After ${input.maxAttempts} failed days in a row we disconnect it and your lessons move to Daily.co (this was day ${input.attempts}).`,
      ];
  const { html, text } = renderEmail({
    title: subject,
    greeting: `Hi ${name},`,
    paragraphs,
    actions: [{ label: 'Reconnect Zoom', url: input.reconnectUrl }],
    footer: 'The link works once and expires in 7 days.',
  });
  return {
    to: input.to,
    subject,
    html,
    text,
    categories: ['zoom', input.disconnected ? 'ZoomDisconnected' : 'ReconnectZoom'],
  };
}
