import { runAsProcess } from '../kit/run-as-process';
import { startDailyEmulator, type DailyEmulator } from './emulator';

/** The Daily.co emulator as a process (npm start, benchmarks). */
runAsProcess(
  () =>
    startDailyEmulator({
      port: Number(process.env.DAILY_EMULATOR_PORT ?? 0),
      apiKey: process.env.DAILY_API_KEY || undefined,
      stateFile: process.env.EMULATOR_STATE_FILE || undefined,
    }),
  (emulator: DailyEmulator) => [`Daily emulator: ${emulator.url}`],
);
