// k6 load test of examples/loan-request.json (served at /scenario/loan).
// The benchmark scenario: nested choices into response sinks.
// Run: .venv-k6/bin/k6 run --no-usage-report load-tests/k6/loan-request.js   (BASE_URL, VUS, DURATION optional)
import { options as defaultOptions, parseSamples, postSample } from './lib/common.js';

const samples = parseSamples(open('../../examples/loan-request.samples.jsonl'));

// Expected `acceptedAmount` of the response, per line of the samples file.
const expected = [1500, 20000, 0, 450000, 0, 0];

export const options = defaultOptions();

export default function () {
  postSample('loan', samples, expected, 'acceptedAmount');
}
