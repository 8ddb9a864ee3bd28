import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { ConfirmOutcome, GrantConfirmation } from '../../services/zoom-connection/grant-confirmation';
import { STATE_COOKIE } from '../../services/zoom-connection/oauth-state';
import { requirePlatformUser, type PlatformAuth } from '../auth';
import { HttpError } from '../http-error';
import {
  CONFIRMATION_PAGE_HEADERS,
  CONFIRMATION_PAGE_PATH,
  isConfirmationFormToken,
  outcomePage,
} from '../pages/zoom-confirmation-page';
import { readRawBody } from '../raw-body';
import { defineRoute, mount, type ApiArea } from '../route';
import { clearStateCookie, type ConnectAnswerSettings } from '../zoom-connect-answers';

export interface ZoomGrantsDeps extends ConnectAnswerSettings {
  grantConfirmation: GrantConfirmation;
  platformAuth: PlatformAuth;
  linkSigningSecret: string;
  /** The API's own origin: the confirmation page's form must come from it. */
  publicOrigin: string;
}

const errorBody = z.object({ error: z.string(), message: z.string() });
const FORM_LIMIT = 4 * 1024;

const confirm = defineRoute({
  method: 'post',
  path: '/integrations/zoom/grants/:code/confirm',
  summary:
    'Step 5, server to server: the platform user logged in on the return page attaches the pending grant, if the session was theirs',
  tag: 'zoom',
  security: 'platformJwt',
  secretPath: true,
  params: z.object({ code: z.string().min(1).max(100) }),
  responses: {
    200: {
      description: 'attached to that user',
      schema: z.object({ connected: z.literal(true), email: z.string().nullable() }),
    },
    401: { description: 'bad platform JWT', schema: errorBody },
    403: {
      description: 'account_mismatch: the session was made for another user; nothing is stored',
      schema: errorBody,
    },
    404: { description: 'unknown code', schema: errorBody },
    410: { description: 'code already used or expired, or the reconnect link was used', schema: errorBody },
  },
});

const formField = z.string().min(1).max(200);
const pageForm = z.object({
  grant: formField,
  formToken: formField,
  decision: z.enum(['confirm', 'cancel']),
});

const confirmOnPage = defineRoute({
  method: 'post',
  path: CONFIRMATION_PAGE_PATH,
  summary: "npm start only (no PLATFORM_REDIRECT_URL): the confirmation page's form",
  tag: 'zoom',
  rawBody: pageForm,
  rawBodyContentType: 'application/x-www-form-urlencoded',
  responses: {
    200: { description: 'the outcome, as a page', contentType: 'text/html' },
    403: {
      description: 'foreign Origin, or a form token not bound to this browser’s flow',
      schema: errorBody,
    },
    404: { description: 'PLATFORM_REDIRECT_URL is set: the platform confirms', schema: errorBody },
  },
});

/** A refused or unknown confirmation, as the JSON error it is. */
function refusal(outcome: Exclude<ConfirmOutcome, { status: 'connected' }>): HttpError {
  if (outcome.status === 'unknown')
    return new HttpError(404, 'unknown_grant', 'No pending Zoom grant has this code');
  if (outcome.status === 'account_mismatch')
    return new HttpError(
      403,
      'account_mismatch',
      'This Zoom connection was started for another platform user; nothing was stored',
    );
  return new HttpError(
    410,
    `grant_${outcome.reason}`,
    `This Zoom grant can no longer be confirmed: ${outcome.reason.replace(/_/g, ' ')}`,
  );
}

export function createZoomGrantsArea(deps: ZoomGrantsDeps): ApiArea {
  const router = new Router();

  mount(router, confirm, async (ctx, { params }) => {
    const platformUserId = await requirePlatformUser(ctx, deps.platformAuth);
    const outcome = await deps.grantConfirmation.confirm(params.code, { platformUserId });
    if (outcome.status !== 'connected') throw refusal(outcome);
    ctx.body = { connected: true, email: outcome.email };
  });

  /** The page's form: same origin, and a token only the browser holding the flow's cookie can send. */
  async function readPageForm(ctx: Context): Promise<z.infer<typeof pageForm>> {
    if (deps.platformRedirectUrl)
      throw new HttpError(404, 'not_found', 'The platform confirms Zoom grants here');
    if (ctx.get('origin') !== deps.publicOrigin)
      throw new HttpError(403, 'foreign_origin', 'The confirmation must come from this site’s own page');
    const parsed = pageForm.safeParse(
      Object.fromEntries(new URLSearchParams((await readRawBody(ctx, FORM_LIMIT)).toString('utf8'))),
    );
    const stateCookie = ctx.cookies.get(STATE_COOKIE);
    if (
      !parsed.success ||
      !stateCookie ||
      !isConfirmationFormToken(deps.linkSigningSecret, stateCookie, parsed.data.grant, parsed.data.formToken)
    )
      throw new HttpError(
        403,
        'bad_form_token',
        'The form does not belong to this browser’s Zoom connection',
      );
    return parsed.data;
  }

  mount(router, confirmOnPage, async (ctx) => {
    const form = await readPageForm(ctx);
    clearStateCookie(ctx, deps);
    ctx.set(CONFIRMATION_PAGE_HEADERS);
    ctx.type = 'html';
    if (form.decision === 'cancel') {
      await deps.grantConfirmation.cancel(form.grant);
      ctx.body = outcomePage('Zoom was not connected', 'You cancelled. Nothing was stored.');
      return;
    }
    const outcome = await deps.grantConfirmation.confirm(form.grant, { sessionUser: true });
    if (outcome.status !== 'connected') throw refusal(outcome);
    ctx.body = outcomePage(
      'Zoom is connected',
      `Lessons will be created in the Zoom account ${outcome.email ?? ''}.`,
    );
  });

  return { router, routes: [confirm, confirmOnPage] };
}
