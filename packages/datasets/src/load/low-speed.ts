/**
 * curl's --speed-limit / --speed-time: `onSlow` fires once when fewer than `limit` bytes per second
 * arrived, on average, over the last `timeMs` (counted from the request's start, so a server that
 * answers its headers and then drips is caught as well as one that slows down later). The idle timeout
 * cannot see a drip (a byte every 300 ms is never idle), and a fixed deadline waits 10 minutes for it.
 */
export class LowSpeedWatch {
  private readonly samples: Array<[at: number, loaded: number]>;
  private loaded = 0;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly limit: number,
    private readonly timeMs: number,
    private readonly onSlow: (bytesPerSecond: number) => void,
  ) {
    this.samples = [[Date.now(), 0]];
    // a few samples per window: the window's start is known to within a fifth of it
    this.timer = setInterval(() => this.check(), Math.max(10, timeMs / 5));
  }

  update(loaded: number): void {
    this.loaded = loaded;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private check(): void {
    const now = Date.now();
    this.samples.push([now, this.loaded]);
    // keep the newest sample that is at least a window old, and everything after it
    while (this.samples.length > 1 && now - (this.samples[1] as [number, number])[0] >= this.timeMs) this.samples.shift();
    const [at, loaded] = this.samples[0] as [number, number];
    if (now - at < this.timeMs) return;
    const rate = ((this.loaded - loaded) * 1000) / (now - at);
    if (rate < this.limit) {
      this.stop();
      this.onSlow(rate);
    }
  }
}
