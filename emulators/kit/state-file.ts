import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Keeps an emulator's state in a file (the dev stack) with a debounced, atomic write. */
export class StateFile {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly path: string,
    private readonly snapshot: () => unknown,
  ) {}

  load(): unknown {
    if (!existsSync(this.path)) return undefined;
    return JSON.parse(readFileSync(this.path, 'utf8'));
  }

  scheduleSave(delayMs = 200): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.saveNow(), delayMs);
    this.timer.unref();
  }

  saveNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.snapshot()));
    renameSync(tmp, this.path);
  }
}
