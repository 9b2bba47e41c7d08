// Stripe's own library on both sides of our webhook signatures (tests only; npm stripe, locked version).
//   node vectors.mjs make <file>    writes vectors: headers made by stripe.webhooks.generateTestHeaderString, each
//                                   with stripe-node's verdict (constructEvent) for the body, secrets and time given
//   node vectors.mjs verify <file>  checks headers our SignPayload made (stripe_signatures sign) with constructEvent
// Left out on purpose, where we are stricter than stripe-node by design: timestamps from the future (stripe-node
// checks only age), an empty body (stripe-node refuses it before looking at the signature), a non-numeric `t`
// followed by digits (parseInt reads "12x" as 12).
import {readFileSync, writeFileSync} from 'node:fs';
import {createHmac} from 'node:crypto';
import Stripe from 'stripe';

const stripe = new Stripe('sk_test_unused');
const TOLERANCE = 300;
const NOW = 1_760_000_000;

// stripe-node's verdict: valid when constructEvent accepts the header under any of the secrets at `now`.
function verdict(payload, header, secrets, now) {
  return secrets.some((secret) => {
    try {
      stripe.webhooks.constructEvent(payload, header, secret, TOLERANCE, undefined, now * 1000);
      return true;
    } catch (e) {
      if (e.type !== 'StripeSignatureVerificationError') throw e;
      return false;
    }
  });
}

function header(payload, secret, timestamp, scheme) {
  return stripe.webhooks.generateTestHeaderString({payload, secret, timestamp, ...(scheme ? {scheme} : {})});
}

const v1 = (h) => h.split(',').find((item) => item.startsWith('v1=')).slice(3);

function make(file) {
  const event = (id, extra = {}) => JSON.stringify({id, object: 'event', type: 'checkout.session.completed', ...extra});
  const a = 'whsec_a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuV', b = 'whsec_rotated_0123456789abcdefABCDEF';
  const body = event('evt_1', {data: {object: {id: 'cs_1', metadata: {workspace_id: 'wsp_1'}}}});
  const pretty = JSON.stringify(JSON.parse(body), null, 2);
  const unicode = event('evt_ü', {data: {object: {name: 'Zoë Müller 日本 🎉', note: 'a\\b"c\n\t'}}});
  const vectors = [];
  const add = (name, payload, secrets, now, h) =>
    vectors.push({name, payload, secrets, now, tolerance: TOLERANCE, header: h, valid: verdict(payload, h, secrets, now)});

  add('valid', body, [a], NOW, header(body, a, NOW));
  add('valid pretty-printed body', pretty, [a], NOW, header(pretty, a, NOW));
  add('valid unicode body', unicode, [a], NOW, header(unicode, a, NOW));
  add('age at the tolerance', body, [a], NOW + TOLERANCE, header(body, a, NOW));
  add('age one second past the tolerance', body, [a], NOW + TOLERANCE + 1, header(body, a, NOW));
  add('an hour old', body, [a], NOW + 3600, header(body, a, NOW));
  add('tampered body', body.replace('wsp_1', 'wsp_2'), [a], NOW, header(body, a, NOW));
  add('body with a trailing newline', body + '\n', [a], NOW, header(body, a, NOW));
  add('pretty body for a compact signature', pretty, [a], NOW, header(body, a, NOW));
  add('wrong secret', body, [b], NOW, header(body, a, NOW));
  add('rotated secrets, signed by the second', body, [a, b], NOW, header(body, b, NOW));
  add('rotated secrets, signed by neither', body, [a, b], NOW, header(body, 'whsec_third', NOW));
  add('two v1 (a roll), the second matches', body, [b], NOW, `${header(body, a, NOW)},v1=${v1(header(body, b, NOW))}`);
  add('two v1 and a v0, the first matches', body, [a], NOW,
      `${header(body, a, NOW)},v1=${v1(header(body, b, NOW))},v0=${'0'.repeat(64)}`);
  add('v0 only', body, [a], NOW, header(body, a, NOW, 'v0'));
  add('signature for another timestamp', body, [a], NOW, `t=${NOW},v1=${v1(header(body, a, NOW - 60))}`);
  add('upper-case hex', body, [a], NOW, `t=${NOW},v1=${v1(header(body, a, NOW)).toUpperCase()}`);
  add('truncated signature', body, [a], NOW, `t=${NOW},v1=${v1(header(body, a, NOW)).slice(0, 63)}`);
  add('no timestamp', body, [a], NOW, `v1=${v1(header(body, a, NOW))}`);
  add('non-numeric timestamp', body, [a], NOW, `t=abc,v1=${v1(header(body, a, NOW))}`);
  add('empty timestamp', body, [a], NOW, `t=,v1=${v1(header(body, a, NOW))}`);
  add('no signature', body, [a], NOW, `t=${NOW}`);
  add('garbage', body, [a], NOW, 'garbage');
  // Deterministic variety: bodies, secrets and ages from a small LCG.
  let seed = 42;
  const rand = (n) => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) >>> 8) % n;
  for (let i = 0; i < 40; i++) {
    const secret = `whsec_${createHmac('sha256', 'k').update(String(i)).digest('base64')}`;
    const payload = event(`evt_r${i}`, {amount: rand(100000), text: 'x'.repeat(rand(3000))});
    const age = rand(2 * TOLERANCE);
    const signer = rand(4) === 0 ? 'whsec_someone_else' : secret;
    add(`random ${i}`, payload, [secret], NOW + age, header(payload, signer, NOW));
  }
  writeFileSync(file, JSON.stringify(vectors, null, 1));
  const valid = vectors.filter((v) => v.valid).length;
  console.log(`${vectors.length} vectors from stripe ${Stripe.PACKAGE_VERSION ?? ''} (${valid} valid)`);
}

// Headers from our SignPayload must pass constructEvent, and carry the v1 stripe-node computes itself.
function verify(file) {
  const ours = JSON.parse(readFileSync(file, 'utf8'));
  let failed = 0;
  for (const {payload, secret, timestamp, header: h} of ours) {
    const mine = header(payload, secret, timestamp);
    if (!verdict(payload, h, [secret], timestamp) || v1(h) !== v1(mine)) {
      console.error(`stripe-node rejects our header ${h} for ${JSON.stringify(payload).slice(0, 80)} (it makes ${mine})`);
      failed++;
    }
  }
  if (!ours.length || failed) process.exit(1);
  console.log(`stripe-node accepts all ${ours.length} headers our SignPayload made`);
}

const [command, file] = process.argv.slice(2);
if (command === 'make') make(file);
else if (command === 'verify') verify(file);
else {
  console.error('usage: node vectors.mjs make|verify <file>');
  process.exit(2);
}
