/** Emulator time: the wall clock plus an offset that tests move forward to expire things. */
export class EmulatorClock {
  private offsetMs = 0;

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  set(ms: number): void {
    this.offsetMs = ms - Date.now();
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
