// k6 load test of examples/product-pricing.json (served at /scenario/pricing).
// Filter, variable, decision table enricher, record variable, log processor.
// Run: .venv-k6/bin/k6 run --no-usage-report load-tests/k6/product-pricing.js   (BASE_URL, VUS, DURATION optional)
import { options as defaultOptions, postSample, recordedSamples } from './lib/common.js';

// The samples answered 200 and the recorded `rule` of each answer.
const { samples, expected } = recordedSamples(
  open('../../examples/product-pricing.samples.jsonl'),
  open('../../examples/product-pricing.expected.jsonl'),
  'rule',
);

export const options = defaultOptions();

export default function () {
  postSample('pricing', samples, expected, 'rule');
}
