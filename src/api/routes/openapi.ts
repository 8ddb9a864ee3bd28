import Router from '@koa/router';
import { z } from 'zod';
import { buildOpenApiDocument } from '../openapi';
import { defineRoute, mount, type ApiArea, type RouteSpec } from '../route';

const route = defineRoute({
  method: 'get',
  path: '/openapi.json',
  summary: 'This document',
  tag: 'meta',
  responses: { 200: { description: 'the OpenAPI 3.1 document', schema: z.record(z.string(), z.unknown()) } },
});

/** Serves the document built from every other area's route specs (and its own). */
export function createOpenApiArea(areas: ApiArea[], serverUrl: string): ApiArea {
  const router = new Router();
  const routes: RouteSpec[] = [...areas.flatMap((a) => a.routes), route];
  const document = buildOpenApiDocument(routes, { version: '0.1.0', serverUrl });
  mount(router, route, async (ctx) => {
    ctx.body = document;
  });
  return { router, routes: [route] };
}
