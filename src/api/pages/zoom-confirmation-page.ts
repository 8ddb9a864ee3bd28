import { createHmac, timingSafeEqual } from 'node:crypto';
import { escapeHtml } from '../../services/email/layout';
import { deriveKey } from '../../services/signing-keys';

/**
 * `npm start`'s own confirmation page, shown by the callback when there is no platform to send the
 * tutor back to. Its form token is an HMAC of the flow's state cookie (httpOnly, so a page of another
 * site can neither read it nor make the token) and of the grant code.
 */
export const CONFIRMATION_PAGE_PATH = '/integrations/zoom/confirmation';

/**
 * The page's own headers: the API's policy plus a form that may post back here and nowhere else;
 * and `same-origin` referrers, since under `no-referrer` a browser sends `Origin: null` with the
 * form, and the Origin check would refuse every honest click.
 */
export const CONFIRMATION_PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  'referrer-policy': 'same-origin',
};

export function confirmationFormToken(secret: string, stateCookie: string, grantCode: string): string {
  return createHmac('sha256', deriveKey(secret, 'zoom-confirm-page'))
    .update(`${stateCookie}\n${grantCode}`)
    .digest('base64url');
}

export function isConfirmationFormToken(
  secret: string,
  stateCookie: string,
  grantCode: string,
  token: string,
): boolean {
  const expected = Buffer.from(confirmationFormToken(secret, stateCookie, grantCode));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

const page = (title: string, body: string): string =>
  `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title></head>
<body style="font-family:sans-serif;max-width:40em;margin:4em auto;padding:0 1em">
<main><h1>${escapeHtml(title)}</h1>
${body}
</main></body></html>`;

export function confirmationPage(input: {
  zoomEmail: string | null;
  tutor: string;
  grantCode: string;
  formToken: string;
}): string {
  const zoomAccount = input.zoomEmail ?? 'a Zoom account without an email address';
  return page(
    'Connect this Zoom account?',
    `<p>Zoom account: <strong id="zoom-account">${escapeHtml(zoomAccount)}</strong></p>
<p>Tutor account: <strong id="tutor-account">${escapeHtml(input.tutor)}</strong></p>
<p>Lessons of this tutor will be created in this Zoom account. Confirm only if both are yours.</p>
<form method="post" action="${CONFIRMATION_PAGE_PATH}">
<input type="hidden" name="grant" value="${escapeHtml(input.grantCode)}">
<input type="hidden" name="formToken" value="${escapeHtml(input.formToken)}">
<fieldset><legend>Your decision</legend>
<button type="submit" name="decision" value="confirm">Confirm</button>
<button type="submit" name="decision" value="cancel">Cancel</button>
</fieldset>
</form>`,
  );
}

export function outcomePage(title: string, message: string): string {
  return page(title, `<p role="status">${escapeHtml(message)}</p>`);
}
