// k6 load test of examples/product-pricing.json (served at /scenario/pricing).
// Filter, variable, decision table enricher, record variable, log processor.
// Run: .venv-k6/bin/k6 run --no-usage-report load-tests/k6/product-pricing.js   (BASE_URL, VUS, DURATION optional)
import { options as defaultOptions, parseSamples, postSample } from './lib/common.js';

const samples = parseSamples(open('../../examples/product-pricing.samples.jsonl'));

// Expected `rule` of the response, per line of the samples file.
const expected = ['gold volume', 'gold', 'silver volume', 'list price', 'rejected: quantity must be positive'];

export const options = defaultOptions();

export default function () {
  postSample('pricing', samples, expected, 'rule');
}
