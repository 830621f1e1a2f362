// k6 load test of examples/customer-onboarding.json (served at /scenario/onboarding).
// A fragment (examples/fragments/customer-segmentation.json) with two outputs.
// Run: .venv-k6/bin/k6 run --no-usage-report load-tests/k6/customer-onboarding.js   (BASE_URL, VUS, DURATION optional)
import { options as defaultOptions, parseSamples, postSample } from './lib/common.js';

const samples = parseSamples(open('../../examples/customer-onboarding.samples.jsonl'));

// Expected `status` of the response, per line of the samples file.
const expected = ['ACCEPTED', 'ACCEPTED', 'REJECTED', 'REJECTED', 'ACCEPTED'];

export const options = defaultOptions();

export default function () {
  postSample('onboarding', samples, expected, 'status');
}
