import type { ZoomModel } from './model';
import { withTracking, zoomErrorBody, type ZoomReply, type ZoomRequest } from './replies';

/** The parts of the kit's RouteContext that the Zoom routes read. */
export interface ZoomRouteContext {
  req: ZoomRequest;
  params: Record<string, string>;
  baseUrl: string;
}

export interface ZoomRoute {
  method: string;
  path: string;
  handler(ctx: ZoomRouteContext): ZoomReply;
}

/**
 * Zoom's public surface on one server: OAuth under /oauth (ZOOM_OAUTH_BASE_URL=<url>), REST under
 * /v2 (ZOOM_API_BASE_URL=<url>/v2), and the pages behind start and join links. Every answer
 * carries an `x-zm-trackingid`.
 */
export function zoomRoutes(model: ZoomModel): ZoomRoute[] {
  const route = (
    method: string,
    path: string,
    answer: (ctx: ZoomRouteContext, param: string) => ZoomReply,
  ): ZoomRoute => ({
    method,
    path,
    handler: (ctx) => withTracking(answer(ctx, ctx.params.userId ?? ctx.params.meetingId ?? '')),
  });
  return [
    route('GET', '/oauth/authorize', ({ req, baseUrl }) => model.authorize(req, baseUrl)),
    route('POST', '/oauth/authorize', ({ req, baseUrl }) => model.authorize(req, baseUrl)),
    route('POST', '/oauth/token', ({ req, baseUrl }) => model.token(req, baseUrl)),
    route('POST', '/oauth/revoke', ({ req, baseUrl }) => model.revoke(req, baseUrl)),
    route('GET', '/v2/users/:userId', ({ req, baseUrl }, userId) => model.getUser(req, userId, baseUrl)),
    route('POST', '/v2/users/:userId/meetings', ({ req, baseUrl }, userId) =>
      model.createMeeting(req, userId, baseUrl),
    ),
    route('GET', '/v2/users/:userId/meetings', ({ req, baseUrl }, userId) =>
      model.listMeetings(req, userId, baseUrl),
    ),
    route('GET', '/v2/meetings/:meetingId', ({ req, baseUrl }, id) => model.getMeeting(req, id, baseUrl)),
    route('PATCH', '/v2/meetings/:meetingId', ({ req }, id) => model.updateMeeting(req, id)),
    route('DELETE', '/v2/meetings/:meetingId', ({ req }, id) => model.deleteMeeting(req, id)),
    route('GET', '/s/:meetingId', ({ req }, id) => model.startPage(id, req.query)),
    route('GET', '/j/:meetingId', ({ req }, id) => model.joinPage(id, req.query)),
    // Last: unknown paths still answer in Zoom's error shape, with a tracking id.
    route('*', '/**', ({ req }) => ({
      status: 404,
      body: zoomErrorBody(404, `No route for ${req.method} ${req.path}`, req.path),
    })),
  ];
}
