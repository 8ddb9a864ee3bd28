import { Presets, SingleBar } from 'cli-progress';

export interface SweepProgressBar {
  /** The sweep's progress, as `ops.sweep` reports it: tokens checked of the tokens there were. */
  update(done: number, total: number): void;
  stop(): void;
}

/** The bar `npm run ops -- sweep` draws (on a terminal) while it follows a sweep. */
export function startSweepProgressBar(stream: NodeJS.WritableStream = process.stderr): SweepProgressBar {
  const bar = new SingleBar(
    { format: 'Sweep [{bar}] {value}/{total} tokens', stream },
    Presets.shades_classic,
  );
  bar.start(1, 0);
  return {
    update(done, total) {
      bar.setTotal(Math.max(total, 1));
      bar.update(done);
    },
    stop: () => bar.stop(),
  };
}
