// Everything one run measures on the generator side: the latency histograms, what was completed inside the
// measurement window, and errors by code. Shared by all pairs of the run (one process, one clock).
import { LatencyRecorder } from './histograms.js';

export type LatencyMetric = 'accepted' | 'delivered' | 'receipt';
export const LATENCY_METRICS: readonly LatencyMetric[] = ['accepted', 'delivered', 'receipt'];

export class RunMeasures {
  /** submit → accepted frame back at the sender. */
  readonly accepted = new LatencyRecorder();
  /** submit → entry frame at the receiving console. */
  readonly delivered = new LatencyRecorder();
  /** submit → the peer's `delivered` receipt entry back at the sender (the full round trip). */
  readonly receipt = new LatencyRecorder();
  /** How late the generator put each send on the wire, against its schedule (its own distortion). */
  readonly lateness = new LatencyRecorder();
  readonly errors = new Map<string, number>();
  /** Clock times (performance.now()) of the measurement window: from the end of warmup to the last planned send. */
  windowStart = Number.POSITIVE_INFINITY;
  windowEnd = Number.POSITIVE_INFINITY;
  readonly inWindow = { sent: 0, accepted: 0, delivered: 0, receipts: 0 };

  begin(windowStart: number, windowEnd: number): void {
    this.windowStart = windowStart;
    this.windowEnd = windowEnd;
    for (const r of [this.accepted, this.delivered, this.receipt, this.lateness]) r.begin(windowStart);
  }

  #within(now: number): boolean {
    return now >= this.windowStart && now <= this.windowEnd;
  }

  sent(scheduled: number, now: number, warmup: boolean): void {
    if (!warmup) this.lateness.record(now - scheduled, now);
    if (this.#within(now)) this.inWindow.sent++;
  }

  record(metric: LatencyMetric, scheduled: number, now: number, warmup: boolean): void {
    if (!warmup) this[metric].record(now - scheduled, now);
    if (this.#within(now)) {
      if (metric === 'receipt') this.inWindow.receipts++;
      else this.inWindow[metric]++;
    }
  }

  error(code: string): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }

  finish(): void {
    for (const r of [this.accepted, this.delivered, this.receipt, this.lateness]) r.finish();
  }

  destroy(): void {
    for (const r of [this.accepted, this.delivered, this.receipt, this.lateness]) r.destroy();
  }
}
