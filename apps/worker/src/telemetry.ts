import type { IncomingMessage, ServerResponse } from "node:http";
import { type Counter, type Histogram, metrics, type UpDownCounter } from "@opentelemetry/api";
import { PrometheusExporter } from "@opentelemetry/exporter-prometheus";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { AggregationType, MeterProvider } from "@opentelemetry/sdk-metrics";

/** Seconds a caller may wait in line: buckets from a moment to half an hour. */
const WAIT_BUCKETS_SECONDS = [0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800];

/**
 * What a call that reached the worker came to, as `ringflow.worker.calls`
 * counts it: core's outcomes, `unrouted` (no published flow for the number)
 * and `refused` (it arrived while the worker was shutting down).
 */
export type WorkerCallOutcome =
  | "answered"
  | "abandoned"
  | "timeout"
  | "voicemail"
  | "noAnswer"
  | "failed"
  | "callback"
  | "unrouted"
  | "refused";

/**
 * The process's OpenTelemetry metrics: one `MeterProvider`, registered as the
 * global provider so core's queue and ring-group instruments report into it,
 * read by a Prometheus exporter that serves no port of its own (the worker's
 * HTTP server mounts its handler on `/metrics`).
 */
export class ProcessMetrics {
  readonly provider: MeterProvider;
  private readonly exporter: PrometheusExporter;

  private constructor(serviceInstanceId: string) {
    this.exporter = new PrometheusExporter({ preventServerStart: true });
    this.provider = new MeterProvider({
      resource: resourceFromAttributes({
        "service.name": "ringflow-worker",
        "service.instance.id": serviceInstanceId,
      }),
      readers: [this.exporter],
      // Core's queue histogram has no bucket advice; the SDK's default
      // buckets (0-10,000) suit milliseconds, and the wait is in seconds.
      views: [
        {
          instrumentName: "ringflow.queue.wait_duration",
          aggregation: {
            type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM,
            options: { boundaries: WAIT_BUCKETS_SECONDS },
          },
        },
      ],
    });
  }

  private static current: ProcessMetrics | undefined;

  /**
   * The process's metrics, created and registered globally on first call.
   * The metrics API cannot rebind instruments already created against an
   * earlier provider, so this must run before any `Queue` is built: the
   * worker calls it first thing. Later callers share the first one (tests
   * running several workers in one process see one set of metrics).
   */
  static forProcess(serviceInstanceId: string): ProcessMetrics {
    if (!ProcessMetrics.current) {
      const created = new ProcessMetrics(serviceInstanceId);
      if (!metrics.setGlobalMeterProvider(created.provider)) {
        throw new Error("another OpenTelemetry MeterProvider is already registered globally");
      }
      ProcessMetrics.current = created;
    }
    return ProcessMetrics.current;
  }

  /** Serves the Prometheus text format (the exporter's own handler). */
  handle(request: IncomingMessage, response: ServerResponse): void {
    this.exporter.getMetricsRequestHandler(request, response);
  }
}

/** The worker's own instruments. */
export interface WorkerInstruments {
  /** `ringflow.worker.active_calls`: calls being handled now. */
  readonly activeCalls: UpDownCounter;
  /** `ringflow.worker.calls`: calls handled, by `outcome` ({@link WorkerCallOutcome}). */
  readonly calls: Counter;
  /** `ringflow.worker.call_duration` (s): from arrival to the end of the flow, by `outcome`. */
  readonly callDuration: Histogram;
  /** `ringflow.worker.record_write_failures`: call record or trace writes that failed. */
  readonly recordWriteFailures: Counter;
  /** `ringflow.worker.calls_refused` (`ringflow_worker_calls_refused_total` in /metrics): calls refused by admission control, by `reason`. */
  readonly callsRefused: Counter;
  /** `ringflow.worker.rejected_connections`: call-port connections closed, by `reason` (`notEsl`, `tooLarge`). */
  readonly rejectedConnections: Counter;
}

/** Creates the worker's instruments on the global meter provider. */
export function createWorkerInstruments(): WorkerInstruments {
  const meter = metrics.getMeter("@ringflow/worker");
  return {
    activeCalls: meter.createUpDownCounter("ringflow.worker.active_calls", {
      description: "Calls the worker is handling now.",
      unit: "{call}",
    }),
    calls: meter.createCounter("ringflow.worker.calls", {
      description: "Calls the worker handled, by outcome.",
      unit: "{call}",
    }),
    callDuration: meter.createHistogram("ringflow.worker.call_duration", {
      description: "Time from a call's arrival at the worker to the end of its flow.",
      unit: "s",
      advice: { explicitBucketBoundaries: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600] },
    }),
    recordWriteFailures: meter.createCounter("ringflow.worker.record_write_failures", {
      description:
        "Calls whose record or trace could not be written in a batch (the call itself went on); `dropped` says whether the worker gave up on them.",
      unit: "{call}",
    }),
    callsRefused: meter.createCounter("ringflow.worker.calls_refused", {
      description:
        "Calls refused unanswered because the worker was overloaded, by reason (event_loop_delay, calls_in_setup, memory).",
      unit: "{call}",
    }),
    rejectedConnections: meter.createCounter("ringflow.worker.rejected_connections", {
      description:
        "Connections to the call port closed because they sent what cannot be ESL (`notEsl`) or a message over 1 MiB (`tooLarge`).",
      unit: "{connection}",
    }),
  };
}
