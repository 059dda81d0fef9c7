import { type Counter, type MeterProvider, metrics } from "@opentelemetry/api";

interface RingCounters {
  readonly operations: Counter;
  readonly results: Counter;
}

const byProvider = new WeakMap<MeterProvider, RingCounters>();

/**
 * The ring-group counters of the current global meter provider, created on
 * first use so a provider registered after this module loaded is honoured.
 */
export function ringCounters(): RingCounters {
  const provider = metrics.getMeterProvider();
  let counters = byProvider.get(provider);
  if (!counters) {
    const meter = provider.getMeter("@ringflow/core");
    counters = {
      operations: meter.createCounter("ringflow.ring_group.operations", {
        description: "Ring groups started",
      }),
      results: meter.createCounter("ringflow.ring_group.results", {
        description: "Ring groups finished, by result",
      }),
    };
    byProvider.set(provider, counters);
  }
  return counters;
}
