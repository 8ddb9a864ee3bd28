import { newTrackingId, zoomErrorBody } from './replies';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../kit/server';
import { ZoomControl } from './control';
import { zoomControlRoutes } from './control-routes';
import { ZoomModel, type ZoomState } from './model';
import type { ZoomModelOptions } from './options';
import { zoomRoutes } from './routes';

/** The Zoom app's settings plus the kit's (port, host, stateFile, clock, requestLogSize, seed, publicUrl). */
export type ZoomEmulatorOptions = ZoomModelOptions & EmulatorOptions;

const CONTROL_METHODS = [
  'createUser',
  'users',
  'deleteUser',
  'deauthorizeUser',
  'revokeToken',
  'setConsent',
  'settings',
  'updateSettings',
  'meetings',
  'stats',
  'refreshCount',
  'sendWebhook',
  'validateWebhookUrl',
  'deliveries',
] as const;
type ControlMethod = (typeof CONTROL_METHODS)[number];

function bindControl(control: ZoomControl): Pick<ZoomControl, ControlMethod> {
  const bound: Partial<Record<ControlMethod, unknown>> = {};
  for (const name of CONTROL_METHODS) bound[name] = control[name].bind(control);
  return bound as Pick<ZoomControl, ControlMethod>;
}

/** The running emulator: the kit's handle (url, clock, faults, requests, close) plus Zoom control. */
export type ZoomEmulator = RunningEmulator &
  Pick<ZoomControl, ControlMethod> & {
    control: ZoomControl;
    model: ZoomModel;
    /** The value for ZOOM_OAUTH_BASE_URL. */
    oauthBaseUrl: string;
    /** The value for ZOOM_API_BASE_URL. */
    apiBaseUrl: string;
  };

/** Starts the Zoom emulator in-process: OAuth at `<url>/oauth/*`, REST at `<url>/v2/*`. */
export async function startZoomEmulator(options: ZoomEmulatorOptions): Promise<ZoomEmulator> {
  let clock: { nowMs(): number } | undefined = options.clock;
  let url = '';
  const model = new ZoomModel(options, { nowMs: () => (clock ? clock.nowMs() : Date.now()) });
  const control = new ZoomControl(model, () => url);
  const handle = await startEmulator(
    {
      name: 'Zoom',
      routes: zoomRoutes(model),
      errorBody: zoomErrorBody,
      faultHeaders: () => ({ 'x-zm-trackingid': newTrackingId() }),
      identify: (req) => model.identify(req),
      snapshot: () => model.snapshot(),
      restore: (state: unknown) => model.restore(state as ZoomState),
      controlRoutes: zoomControlRoutes(control),
    },
    {
      port: options.port,
      host: options.host,
      stateFile: options.stateFile,
      clock: options.clock,
      requestLogSize: options.requestLogSize,
      seed: options.seed,
      publicUrl: options.publicUrl,
    },
  );
  clock = handle.clock;
  url = handle.url;
  return Object.assign(handle, bindControl(control), {
    control,
    model,
    oauthBaseUrl: url,
    apiBaseUrl: `${url}/v2`,
  });
}
