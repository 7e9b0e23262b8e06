// Prometheus metrics, one registry per relay so tests can run several relays in one process.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  readonly accepted = new Counter({
    name: 'hotline_items_accepted_total',
    help: 'Items accepted (durable), by kind',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  readonly rejected = new Counter({
    name: 'hotline_items_rejected_total',
    help: 'Frames and items rejected, by code',
    labelNames: ['code'],
    registers: [this.registry],
  });
  readonly batchSize = new Histogram({
    name: 'hotline_commit_batch_size',
    help: 'Entries per durable commit',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
    registers: [this.registry],
  });
  readonly commitSeconds = new Histogram({
    name: 'hotline_commit_seconds',
    help: 'Time of one durable commit (transaction and fsync)',
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly commitFailures = new Counter({
    name: 'hotline_commit_failures_total',
    help: 'Commits that failed (nothing accepted)',
    registers: [this.registry],
  });
  readonly roundTrip = new Histogram({
    name: 'hotline_submit_to_accept_seconds',
    help: 'From a submit frame arriving to its accepted frame being sent',
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly sockets = new Gauge({
    name: 'hotline_sockets',
    help: 'Open console sockets, by state',
    labelNames: ['state'],
    registers: [this.registry],
  });
  readonly dropped = new Counter({
    name: 'hotline_sockets_dropped_total',
    help: 'Sockets closed by the relay, by reason',
    labelNames: ['reason'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
