import { runAsProcess } from '../kit/run-as-process';
import { startPlatformEventsEmulator, type PlatformEventsEmulator } from './emulator';

/** The platform events' receiver as a process (npm start). */
runAsProcess(
  () =>
    startPlatformEventsEmulator({
      port: Number(process.env.PLATFORM_EMULATOR_PORT ?? 0),
      secret: process.env.PLATFORM_WEBHOOK_SECRET || undefined,
      stateFile: process.env.EMULATOR_STATE_FILE || undefined,
    }),
  (emulator: PlatformEventsEmulator) => [`Platform emulator: ${emulator.url}`],
);
