// The tests share one machine's CPU (OCR) and prometheus-net's process-wide registry (metric deltas):
// run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
