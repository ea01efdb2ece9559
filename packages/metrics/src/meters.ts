/** A running sum / count / mean, for averaging losses and metrics over a training loop. */
export class RunningMean {
  sum = 0;
  count = 0;

  /** Adds `value`, which stands for `n` samples (a batch mean with batch size n). */
  update(value: number, n = 1): this {
    this.sum += value * n;
    this.count += n;
    return this;
  }

  get mean(): number {
    return this.count ? this.sum / this.count : Number.NaN;
  }

  reset(): this {
    this.sum = 0;
    this.count = 0;
    return this;
  }
}

/** Named running means, created on first update. */
export class MeterGroup {
  readonly meters = new Map<string, RunningMean>();

  update(values: Record<string, number>, n = 1): this {
    for (const [name, v] of Object.entries(values)) {
      let m = this.meters.get(name);
      if (!m) this.meters.set(name, (m = new RunningMean()));
      m.update(v, n);
    }
    return this;
  }

  means(): Record<string, number> {
    return Object.fromEntries([...this.meters].map(([k, m]) => [k, m.mean]));
  }

  reset(): this {
    for (const m of this.meters.values()) m.reset();
    return this;
  }
}
