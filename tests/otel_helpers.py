"""OpenTelemetry's SDK in memory, for the tests of ``numora.otel``.

``Telemetry`` holds a tracer provider exporting to an in-memory span exporter and a meter
provider read by an in-memory reader; ``instrument()`` switches numora's tracing on with them
and ``close()`` switches it off again (the switch is process-wide).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from opentelemetry import propagate
from opentelemetry.propagators.composite import CompositePropagator
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import HistogramDataPoint, InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

import numora.otel

DURATION = "http.client.request.duration"


class Telemetry:
    """Spans and metric points recorded in memory."""

    def __init__(self) -> None:
        self.exporter = InMemorySpanExporter()
        self.tracer_provider = TracerProvider()
        self.tracer_provider.add_span_processor(SimpleSpanProcessor(self.exporter))
        self.reader = InMemoryMetricReader()
        self.meter_provider = MeterProvider(metric_readers=[self.reader])
        self.tracer = self.tracer_provider.get_tracer("tests")

    def instrument(self) -> None:
        numora.otel.instrument(
            tracer_provider=self.tracer_provider, meter_provider=self.meter_provider
        )

    def instrument_client(self, client: Any) -> None:
        numora.otel.instrument_client(
            client, tracer_provider=self.tracer_provider, meter_provider=self.meter_provider
        )

    def close(self) -> None:
        numora.otel.uninstrument()
        self.tracer_provider.shutdown()
        self.meter_provider.shutdown()

    # --- what was recorded -------------------------------------------------------------------

    def spans(self) -> list[ReadableSpan]:
        return list(self.exporter.get_finished_spans())

    def client_spans(self) -> list[ReadableSpan]:
        return [s for s in self.spans() if s.kind is SpanKind.CLIENT]

    def only_span(self) -> ReadableSpan:
        spans = self.spans()
        assert len(spans) == 1, [s.name for s in spans]
        return spans[0]

    def points(self) -> list[HistogramDataPoint]:
        """The data points of ``http.client.request.duration`` (cumulative)."""
        data = self.reader.get_metrics_data()
        found: list[HistogramDataPoint] = []
        for resource in data.resource_metrics if data is not None else []:
            for scope in resource.scope_metrics:
                for metric in scope.metrics:
                    if metric.name == DURATION:
                        assert metric.unit == "s"
                        found += list(metric.data.data_points)  # type: ignore[arg-type]
        return found


def events(span: ReadableSpan, name: str | None = None) -> list[dict[str, Any]]:
    """The attributes of the span's events (those named ``name``), each with its ``name``."""
    return [
        {"name": e.name, **dict(e.attributes or {})}
        for e in span.events
        if name is None or e.name == name
    ]


@contextmanager
def no_propagator() -> Iterator[None]:
    """No trace context propagator configured, for the block."""
    previous = propagate.get_global_textmap()
    propagate.set_global_textmap(CompositePropagator([]))
    try:
        yield
    finally:
        propagate.set_global_textmap(previous)
