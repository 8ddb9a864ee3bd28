import { SingleBar, Presets } from 'cli-progress';

/** A progress bar on stderr, so the table on stdout stays clean. */
export function progressBar(
  total: number,
  label: string,
): { tick(n?: number, status?: string): void; stop(): void } {
  const bar = new SingleBar(
    {
      format: `${label.padEnd(28)} [{bar}] {value}/{total} {status}`,
      stream: process.stderr,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0, { status: '' });
  return {
    tick: (n = 1, status = '') => bar.increment(n, { status }),
    stop: () => bar.stop(),
  };
}
