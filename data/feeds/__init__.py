"""Position feeds: the OsmAnd/Traccar HTTP listener, fix filters, batched ingest, the simulator."""
