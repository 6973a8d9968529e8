#!/usr/bin/env node
/* global process, console */
// Prints line coverage per protocol-core module group from coverage/coverage-summary.json
// (written by `vitest run --coverage`). The >= 95 % gate itself is enforced by vitest.config.ts.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const summary = JSON.parse(readFileSync('coverage/coverage-summary.json', 'utf8'));
const groups = [ // first match wins: 'src/vrrp/' counts the rest of src/vrrp
  'src/vrrp/packet/', 'src/vrrp/fsm/', 'src/vrrp/tracking/', 'src/vrrp/', 'src/config/', 'src/io/', 'src/core/', 'src/check/'];
const totals = new Map(groups.map((g) => [g, { covered: 0, total: 0 }]));
for (const [file, data] of Object.entries(summary)) {
  if (file === 'total') continue;
  const rel = relative(process.cwd(), file);
  const group = groups.find((g) => rel.startsWith(g));
  if (!group) continue;
  const t = totals.get(group);
  t.covered += data.lines.covered;
  t.total += data.lines.total;
}
console.log('\nLine coverage by module group:');
for (const [g, t] of totals) {
  if (t.total === 0) continue;
  console.log(`  ${g.padEnd(22)} ${((100 * t.covered) / t.total).toFixed(1).padStart(5)} %  (${t.covered}/${t.total} lines)`);
}
