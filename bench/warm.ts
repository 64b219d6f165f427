/**
 * The warm stages of `npm run bench` alone (parse + validate, HTML, docx, PDF, all three; wall and CPU
 * medians per input), for measuring a rendering change without the cold, workspace and LibreOffice runs:
 * `node --import tsx bench/warm.ts [--runs N] [--rounds N] [--out DIR] [--distinct N]`. With `--out`, each input's three
 * outputs are written there too (to compare bytes and text positions before and after a change); with
 * `--distinct N`, N different generated reports are then checked and rendered once each (after 40 unmeasured).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkText } from '../src/validate/index.js';
import { buildDocument } from '../src/model/build-document.js';
import { renderHtml } from '../src/render/html/index.js';
import { renderDocx } from '../src/render/docx/index.js';
import { renderPdf } from '../src/render/pdf/index.js';
import { distinctInputs, distinctRuns, inputs as allInputs, stageWork, STAGES } from './lib/stages.js';
import { bench, ms, stats } from './lib/measure.js';

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const RUNS = Number(option('--runs')) || 20;
const ROUNDS = Number(option('--rounds')) || 5;
const out = option('--out');

const inputs = allInputs();
const work = stageWork;

for (let round = 0; round < ROUNDS; round++) for (const input of inputs) for (const stage of STAGES) await work(input)[stage]();
const allCpu: number[] = [];
for (const input of inputs) {
  const w = work(input);
  const cells: string[] = [];
  for (const stage of STAGES) {
    const s = await bench(w[stage], RUNS, 2);
    cells.push(`${stage} ${ms(s.median)}/${ms(s.cpu!.median)}`);
    if (stage === 'all three') allCpu.push(s.cpu!.median);
  }
  process.stdout.write(`${input.name.padEnd(36)} ${cells.join(' · ')} (wall/CPU ms)\n`);
  if (out) {
    mkdirSync(out, { recursive: true });
    const base = path.join(out, path.basename(input.name, '.yaml') + (input.name.startsWith('generated') ? '-gen' : ''));
    const d = buildDocument(checkText(input.bytes, input.name).report!);
    writeFileSync(`${base}.html`, renderHtml(d));
    writeFileSync(`${base}.docx`, await renderDocx(d));
    writeFileSync(`${base}.pdf`, await renderPdf(d));
  }
}
process.stdout.write(`all three, CPU median per input: worst ${ms(Math.max(...allCpu))} ms, median ${ms([...allCpu].sort((a, b) => a - b)[Math.floor(allCpu.length / 2)])} ms${existsSync('/proc/loadavg') ? `; load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}` : ''}\n`);
const distinct = Number(option('--distinct'));
if (distinct > 0) {
  const run = await distinctRuns(distinctInputs(distinct + 40), 40);
  const [cpu, wall] = [stats(run.cpuMs), stats(run.wallMs)];
  process.stdout.write(`${distinct} distinct reports, each checked and rendered in all three formats once (after 40): CPU median ${ms(cpu.median)} ms, p95 ${ms(cpu.p95)} ms; wall median ${ms(wall.median)} ms\n`);
}
