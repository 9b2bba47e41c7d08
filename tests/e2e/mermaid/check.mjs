// Parses Mermaid texts with Mermaid's own parser (in jsdom). Usage: node check.mjs file...
import { JSDOM } from 'jsdom';
import fs from 'node:fs';
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window; globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });
let bad = 0;
for (const f of process.argv.slice(2)) {
  try { await mermaid.parse(fs.readFileSync(f, 'utf8')); }
  catch (e) { bad++; console.log('FAIL', f, String(e.message || e).split('\n').slice(0, 4).join(' | ')); }
}
console.log(`${process.argv.length - 2 - bad} parsed, ${bad} failed`);
process.exit(bad ? 1 : 0);
