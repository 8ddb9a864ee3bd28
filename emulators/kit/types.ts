import type { IncomingHttpHeaders } from 'node:http';
import type { EmulatorClock } from './clock';

export class JsonParseError extends Error {
  override name = 'JsonParseError';
}

export interface EmulatorRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** The body as JSON; throws JsonParseError when it is not JSON. */
  json(): unknown;
  /** The body as an x-www-form-urlencoded form. */
  form(): URLSearchParams;
}

export interface EmulatorResponse {
  status: number;
  headers?: Record<string, string>;
  /** JSON-encoded when present. */
  body?: unknown;
  text?: string;
  contentType?: string;
}

export interface RouteContext {
  req: EmulatorRequest;
  params: Record<string, string>;
  clock: EmulatorClock;
  baseUrl: string;
}

export interface Route {
  method: string;
  path: string;
  handler(ctx: RouteContext): EmulatorResponse | Promise<EmulatorResponse>;
}

export interface EmulatorDefinition {
  name: string;
  routes: Route[];
  /**
   * The provider's own error body for a status, used for injected faults and unknown routes;
   * `path` is the request's, for a provider whose error shape differs by API (Zoom OAuth vs REST).
   */
  errorBody(status: number, message: string, path: string): unknown;
  /** Extra headers the provider puts on an injected error (SendGrid's X-RateLimit-* on a 429). */
  faultHeaders?(status: number, nowMs: number): Record<string, string>;
  /** Who or what a request is about, so fault rules can match by user or room. */
  identify?(req: EmulatorRequest): { user?: string; room?: string };
  snapshot?(): unknown;
  restore?(state: unknown): void;
  controlRoutes?: Route[];
}

export interface EmulatorOptions {
  port?: number;
  host?: string;
  stateFile?: string;
  clock?: EmulatorClock;
  requestLogSize?: number;
  /** Seed of the generator behind `fraction` faults and random latency. */
  seed?: number;
  /** The URL the emulator believes it is served at (links it mints); default its own. */
  publicUrl?: string;
}
