/**
 * The OpenTelemetry SDK as a user's test would set it up: a BasicTracerProvider exporting to an
 * InMemorySpanExporter, a MeterProvider read on demand into an InMemoryMetricExporter, and the
 * AsyncLocalStorage context manager (what NodeSDK registers) so the active span propagates.
 */
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  type DataPoint,
  type Histogram,
  InMemoryMetricExporter,
  MeterProvider,
  type MetricData,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

export interface Otel {
  tracerProvider: BasicTracerProvider;
  meterProvider: MeterProvider;
  spans(): ReadableSpan[];
  /** Collects the metrics now; the last export, by instrument name. */
  metrics(): Promise<Map<string, MetricData>>;
  reset(): void;
  shutdown(): Promise<void>;
}

/** A MeterProvider of its own (a test's metrics start from nothing), exporting when asked. */
export function meterReader() {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // Exports only when asked (forceFlush): the interval never comes within a test.
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    meterProvider,
    /** Collects the metrics now; the last export, by instrument name. */
    async metrics(): Promise<Map<string, MetricData>> {
      exporter.reset();
      await reader.forceFlush();
      const out = new Map<string, MetricData>();
      for (const rm of exporter.getMetrics())
        for (const sm of rm.scopeMetrics) for (const m of sm.metrics) out.set(m.descriptor.name, m);
      return out;
    },
  };
}

/** Registers the context manager (once per test file) and builds the providers. */
export function setupOtel(): Otel {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] });
  const { meterProvider, metrics } = meterReader();
  return {
    tracerProvider,
    meterProvider,
    spans: () => spanExporter.getFinishedSpans(),
    metrics,
    reset: () => spanExporter.reset(),
    async shutdown() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
      context.disable();
    },
  };
}

/** A metric's points as `[attributes, value]` pairs, for `toEqual`. */
export function points(metric: MetricData | undefined): [Record<string, unknown>, unknown][] {
  if (!metric) return [];
  return (metric.dataPoints as DataPoint<unknown>[]).map((p) => [p.attributes, p.value]);
}

/** A histogram point's count, sum, boundaries and bucket counts. */
export function histogram(point: DataPoint<unknown> | undefined) {
  const h = point?.value as Histogram | undefined;
  return h && { count: h.count, sum: h.sum, boundaries: h.buckets.boundaries, counts: h.buckets.counts };
}

/** The spans as a tree of names with their attributes, children in start order. */
export interface Node {
  name: string;
  attributes: Record<string, unknown>;
  status: { code: number; message?: string };
  children: Node[];
}

export function tree(spans: ReadableSpan[]): Node[] {
  const byId = new Map<string, Node>();
  const nodes = spans
    .slice()
    .sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1])
    .map((s) => {
      const node: Node = {
        name: s.name,
        attributes: { ...s.attributes },
        status: s.status.message === undefined ? { code: s.status.code } : { ...s.status },
        children: [],
      };
      byId.set(s.spanContext().spanId, node);
      return { s, node };
    });
  const roots: Node[] = [];
  for (const { s, node } of nodes) {
    const parent = s.parentSpanContext && byId.get(s.parentSpanContext.spanId);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}
