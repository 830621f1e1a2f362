// k6 load test of examples/loan-request.json (served at /scenario/loan).
// The benchmark scenario: nested choices into response sinks.
// Run: .venv-k6/bin/k6 run --no-usage-report load-tests/k6/loan-request.js   (BASE_URL, VUS, DURATION optional)
import { options as defaultOptions, postSample, recordedSamples } from './lib/common.js';

// The samples answered 200 and the recorded `acceptedAmount` of each answer.
const { samples, expected } = recordedSamples(
  open('../../examples/loan-request.samples.jsonl'),
  open('../../examples/loan-request.expected.jsonl'),
  'acceptedAmount',
);

export const options = defaultOptions();

export default function () {
  postSample('loan', samples, expected, 'acceptedAmount');
}
