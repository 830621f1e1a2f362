// k6 load test of examples/customer-onboarding.json (served at /scenario/onboarding).
// A fragment (examples/fragments/customer-segmentation.json) with two outputs.
// Run: .venv-k6/bin/k6 run --no-usage-report load-tests/k6/customer-onboarding.js   (BASE_URL, VUS, DURATION optional)
import { options as defaultOptions, postSample, recordedSamples } from './lib/common.js';

// The samples answered 200 and the recorded `status` of each answer.
const { samples, expected } = recordedSamples(
  open('../../examples/customer-onboarding.samples.jsonl'),
  open('../../examples/customer-onboarding.expected.jsonl'),
  'status',
);

export const options = defaultOptions();

export default function () {
  postSample('onboarding', samples, expected, 'status');
}
