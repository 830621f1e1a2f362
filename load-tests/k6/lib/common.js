// Shared helpers of the k6 scripts: sample loading, the request and the default options.
import http from 'k6/http';
import { check } from 'k6';

export const BASE_URL = (__ENV.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');

// Parses a JSON-lines file (one sample request body per line).
export function parseSamples(text) {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l));
}

// The samples of an example whose recorded answer (`examples/<name>.expected.jsonl`, one line
// per sample) is a 200, with the recorded value of `field` in each answer. Samples recorded
// with an error status (e.g. the pricing overflow) are left out: a load test posts requests
// that succeed.
export function recordedSamples(samplesText, expectedText, field) {
  const samples = parseSamples(samplesText);
  const answers = parseSamples(expectedText);
  if (samples.length !== answers.length) {
    throw new Error(`${samples.length} samples but ${answers.length} recorded answers`);
  }
  const ok = samples.map((s, i) => [s, answers[i]]).filter(([, a]) => a.status === 200);
  return { samples: ok.map(([s]) => s), expected: ok.map(([, a]) => a.body[field]) };
}

// Bounded run: 10 virtual users for 10 seconds unless VUS / DURATION say otherwise.
export function options(extraThresholds) {
  return {
    scenarios: {
      default: {
        executor: 'constant-vus',
        vus: parseInt(__ENV.VUS || '10', 10),
        duration: __ENV.DURATION || '10s',
        gracefulStop: '5s',
      },
    },
    thresholds: Object.assign(
      {
        http_req_failed: ['rate<0.01'],
        checks: ['rate>0.99'],
        http_req_duration: ['p(95)<250'],
      },
      extraThresholds || {},
    ),
    summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'],
  };
}

// Posts sample number `i % samples.length` to /scenario/{slug} and checks the status and one
// field of the response against the expected value for that sample.
export function postSample(slug, samples, expected, field) {
  const i = (__VU * 7919 + __ITER) % samples.length;
  const res = http.post(`${BASE_URL}/scenario/${slug}`, JSON.stringify(samples[i]), {
    headers: { 'Content-Type': 'application/json' },
    tags: { scenario_slug: slug, sample: String(i) },
  });
  let body = null;
  try {
    body = res.json();
  } catch (e) {
    body = null;
  }
  check(res, {
    'status is 200': (r) => r.status === 200,
    [`${field} is as expected`]: () => body !== null && JSON.stringify(body[field]) === JSON.stringify(expected[i]),
  });
  return res;
}
