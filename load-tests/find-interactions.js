// k6 load test of the Finder: log in, then search, filter, sort and page the
// interactions of the user's site and open records, as staff do.
//
//   k6 run -e API_URL=http://localhost:8000 load-tests/find-interactions.js
//   k6 run -e API_URL=https://api.example.com -e USERNAME=editor -e PASSWORD=... \
//          -e VUS=50 -e DURATION=5m load-tests/find-interactions.js
//
// Thresholds (the deployment guide's): p95 under 500 ms, under 1 % errors.
import http from 'k6/http';
import { check, group, sleep } from 'k6';
import { Trend } from 'k6/metrics';

const API_URL = (__ENV.API_URL || 'http://localhost:8000').replace(/\/+$/, '');
const USERNAME = __ENV.USERNAME || 'editor';
const PASSWORD = __ENV.PASSWORD || 'demo-password';
const VUS = parseInt(__ENV.VUS || '10', 10);
const DURATION = __ENV.DURATION || '1m';
// Ramp-up time (ramp-down takes two thirds of it); short ramps let the benchmark's smoke run stay short.
const RAMP = __ENV.RAMP || '15s';
const RAMP_DOWN = `${Math.max(1, Math.round(parseInt(RAMP, 10) * (2 / 3)))}s`;

const finderDuration = new Trend('finder_duration', true);
const recordDuration = new Trend('record_duration', true);

export const options = {
  scenarios: {
    finder: {
      executor: 'ramping-vus',
      startVUs: 1,
      stages: [
        { duration: RAMP, target: VUS },
        { duration: DURATION, target: VUS },
        { duration: RAMP_DOWN, target: 0 },
      ],
      gracefulRampDown: RAMP_DOWN,
    },
  },
  thresholds: {
    http_req_duration: ['p(95)<500'],
    http_req_failed: ['rate<0.01'],
    'http_req_duration{name:finder}': ['p(95)<500'],
    checks: ['rate>0.99'],
  },
};

// Words that occur in titles, leads, locations and notes, from common to rare.
const SEARCHES = ['', '', '', 'meeting', 'review', 'budget', 'quarterly', 'client', 'onboarding',
  'training session', 'call with', 'site visit', 'partner', 'workshop', 'follow up', 'zzqx'];
const TYPES = ['Meeting', 'Call', 'Email', 'Visit', 'Conference', 'Training', 'Webinar', 'Other'];
const LEADS = ['', '', 'smith', 'an', 'lee', 'garcia', 'mül'];
const LOCATIONS = ['', '', '', 'london', 'room', 'online', 'berlin', 'hq'];
const SORTS = ['-start_datetime', '-start_datetime', 'start_datetime', 'title', '-title',
  'type,-start_datetime', 'lead,title', 'location,-start_datetime', '-updated_at'];
const PAGE_SIZES = [25, 25, 25, 10, 50, 100];

function pick(list) {
  return list[Math.floor(Math.random() * list.length)];
}

function isoDate(daysAgo) {
  const d = new Date(Date.now() - daysAgo * 86400000);
  return d.toISOString().slice(0, 10);
}

function finderQuery() {
  const params = [];
  const add = (key, value) => {
    if (value !== '' && value !== undefined) params.push(`${key}=${encodeURIComponent(value)}`);
  };
  add('search', pick(SEARCHES));
  if (Math.random() < 0.3) {
    add('type', pick(TYPES));
    if (Math.random() < 0.3) add('type', pick(TYPES));
  }
  add('lead', pick(LEADS));
  add('location', pick(LOCATIONS));
  if (Math.random() < 0.25) {
    const from = 30 + Math.floor(Math.random() * 700);
    add('start_from', isoDate(from));
    add('start_to', isoDate(from - 30));
  }
  add('sort', pick(SORTS));
  // Most people stay on the first pages; some jump far.
  const r = Math.random();
  add('page', r < 0.6 ? 1 : r < 0.9 ? 2 + Math.floor(Math.random() * 4) : 10 + Math.floor(Math.random() * 40));
  add('page_size', pick(PAGE_SIZES));
  return params.join('&');
}

export function setup() {
  const res = http.post(`${API_URL}/api/auth/login`, JSON.stringify({ username: USERNAME, password: PASSWORD }), {
    headers: { 'Content-Type': 'application/json' },
    tags: { name: 'login' },
  });
  const ok = check(res, {
    'login answered 200': (r) => r.status === 200,
    'login returned a token': (r) => Boolean(r.json('access_token')),
  });
  if (!ok) {
    throw new Error(`login as ${USERNAME} failed: HTTP ${res.status} ${res.body}`);
  }
  return { token: res.json('access_token') };
}

export default function (data) {
  const headers = { Authorization: `Bearer ${data.token}`, Accept: 'application/json' };
  let ids = [];

  group('finder', () => {
    const res = http.get(`${API_URL}/api/interactions?${finderQuery()}`, { headers, tags: { name: 'finder' } });
    finderDuration.add(res.timings.duration);
    check(res, {
      'finder answered 200': (r) => r.status === 200,
      'finder returned a page': (r) => Array.isArray(r.json('items')) && r.json('total') !== undefined,
    });
    if (res.status === 200) {
      ids = (res.json('items') || []).map((item) => item.id);
    }
  });

  // About a third of searches end with opening one or two records.
  if (ids.length > 0 && Math.random() < 0.35) {
    group('record', () => {
      const opens = Math.random() < 0.3 ? 2 : 1;
      for (let i = 0; i < opens; i += 1) {
        const id = pick(ids);
        const res = http.get(`${API_URL}/api/interactions/${id}`, { headers, tags: { name: 'record' } });
        recordDuration.add(res.timings.duration);
        check(res, {
          'record answered 200': (r) => r.status === 200,
          'record is the one asked for': (r) => r.status === 200 && r.json('id') === id,
        });
        sleep(0.5 + Math.random());
      }
    });
  }

  // Think time between searches (typing, reading the table).
  sleep(1 + Math.random() * 2);
}
