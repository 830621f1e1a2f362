// k6 load test of examples/fraud-check.json (served at /scenario/fraud).
// split into four branches (audit log + three rules), union, collect, choice.
// Run: .venv-k6/bin/k6 run --no-usage-report load-tests/k6/fraud-check.js   (BASE_URL, VUS, DURATION optional)
import { options as defaultOptions, parseSamples, postSample } from './lib/common.js';

const samples = parseSamples(open('../../examples/fraud-check.samples.jsonl'));

// Expected `decision` of the response, per line of the samples file.
const expected = ['APPROVE', 'REVIEW', 'BLOCK', 'REVIEW'];

export const options = defaultOptions();

export default function () {
  postSample('fraud', samples, expected, 'decision');
}
