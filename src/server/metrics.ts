import { Counter, Histogram, Registry } from 'prom-client';
import type { WriterObserver } from '../ingest/index.js';

/** The Prometheus metrics of one server, in their own registry. */
export interface ServerMetrics {
  readonly registry: Registry;
  readonly observer: WriterObserver;
  /** Counts events dropped because their person opted out (README, "Privacy"). */
  readonly countOptedOut: (projectId: string, events: number) => void;
}

/** Creates the ingest metrics: accepted, rejected by reason, deduplicated, commit latency. */
export function createMetrics(): ServerMetrics {
  const registry = new Registry();
  const accepted = new Counter({
    name: 'pathwise_events_accepted_total',
    help: 'Events committed to the store',
    registers: [registry],
  });
  const rejected = new Counter({
    name: 'pathwise_events_rejected_total',
    help: 'Events rejected, by reason code',
    labelNames: ['reason'],
    registers: [registry],
  });
  const deduplicated = new Counter({
    name: 'pathwise_events_deduplicated_total',
    help: 'Events dropped because their messageId was already stored',
    registers: [registry],
  });
  const commitSeconds = new Histogram({
    name: 'pathwise_commit_latency_seconds',
    help: 'Time to commit one group of events, dedup included',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const optedOut = new Counter({
    name: 'pathwise_events_opted_out_total',
    help: 'Events dropped at ingest because their person opted out, by project',
    labelNames: ['project'],
    registers: [registry],
  });
  const observer: WriterObserver = {
    onCommit(info) {
      accepted.inc(info.accepted);
      deduplicated.inc(info.duplicates);
      for (const [reason, n] of info.rejectedByCode) rejected.inc({ reason }, n);
      commitSeconds.observe(info.latencyMs / 1000);
    },
  };
  return {
    registry,
    observer,
    countOptedOut: (project, events) => optedOut.inc({ project }, events),
  };
}
