/**
 * Compares the PDFs two checkouts of nianbao render for the same documents, to show that a change of
 * the PDF emitter changed no page:
 *
 *   node --import tsx scripts/compare-pdfs.ts --before ../base [--after .] [--distinct 40] [--out DIR]
 *
 * Each checkout renders the same set in a process of its own (with its own code: `--render` mode):
 * the bench inputs (bench/lib/stages.ts `inputs`), `--distinct` generated reports (`distinctInputs`),
 * and the documents the PDF tests make with special options: a county font file per role (a copy of a
 * bundled face under another name, and faces swapped between roles), drafts (草稿 watermark and problem
 * page, from examples/defects and a passing example), a long agency name with six-digit figures (the
 * 落款 and table 二 blocks at many page positions, test/helpers/stress.ts), table 三 pushed down line by
 * line so that it splits after many different rows, and the hand-made sample documents of both
 * editions. The after side renders each document twice, to show that its bytes are deterministic.
 *
 * Then, per document, it checks with poppler-utils that the two files have:
 * - the same number of pages, and every page pixel-identical at 72 dpi (`pdftoppm -r 72`, grey);
 * - the same words at the same places (`pdftotext -bbox`, coordinates within 0.01 pt);
 * - the same fonts (`pdffonts`: name with its subset tag, type, encoding, embedded, subset, unicode);
 * - the same document information (`pdfinfo`), the Producer excepted;
 * and prints one line per difference and a summary; the exit code is 1 when anything differs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

/** A document to render: its file name, and how (an option set of renderPdf). */
interface Job {
  readonly name: string;
  readonly doc: unknown;
  readonly options?: Record<string, unknown>;
}

/** Renders the set with the code of the checkout at `root` into `dir` (run in a process of its own). */
async function renderSet(root: string, dir: string, distinct: number, twice: boolean): Promise<void> {
  const load = (file: string) => import(pathToFileURL(path.join(root, file)).href);
  const stages = await load('bench/lib/stages.ts');
  const { buildDocument } = await load('src/model/build-document.ts');
  const { renderPdf } = await load('src/render/pdf/index.ts');
  const { bundledFontFile } = await load('src/render/pdf/fonts.ts');
  const { composeReport } = await load('src/build.ts');
  const { fillGrid } = await load('src/model/fill.ts');
  const { officialGrid } = await load('src/format/official.ts');
  const sample = await load('test/helpers/sample.ts');
  const stress = await load('test/helpers/stress.ts');

  const jobs: Job[] = [];
  const fromInput = (input: { name: string; bytes: Uint8Array }) => buildDocument(stages.validated(input));
  for (const input of stages.inputs()) jobs.push({ name: `bench ${input.name}`, doc: fromInput(input) });
  for (const input of stages.distinctInputs(distinct)) jobs.push({ name: `distinct ${input.name}`, doc: fromInput(input) });

  // county fonts: a copy of a bundled face under another name, and bundled faces given to other roles
  const fontDir = mkdtempSync(path.join(tmpdir(), 'nianbao-compare-fonts-'));
  copyFileSync(bundledFontFile('heading1'), path.join(fontDir, '县里的正文字体.ttf'));
  const first = jobs[0].doc;
  jobs.push({ name: 'fonts body=copy of heading1, heading1=body', doc: first, options: { fonts: { body: '县里的正文字体.ttf', heading1: bundledFontFile('body') }, baseDir: fontDir } });
  jobs.push({ name: 'fonts table=title, pageNumber=heading1', doc: first, options: { fonts: { table: bundledFontFile('title'), pageNumber: bundledFontFile('heading1') } } });

  // drafts: reports with errors, and a passing one
  const defects = path.join(root, 'examples', 'defects');
  const examples = path.join(root, 'examples', 'reports');
  const draftFiles = [...readdirSync(defects).filter((f) => f.endsWith('.yaml')).map((f) => path.join(defects, f)), path.join(examples, readdirSync(examples).filter((f) => f.endsWith('.yaml')).sort()[0])];
  for (const file of draftFiles) {
    const composed = await composeReport(file, { draft: true });
    if (composed.doc) jobs.push({ name: `draft ${path.basename(file)}`, doc: composed.doc });
  }

  // long agency name, six-digit figures: the 落款 and table 二 blocks at many page positions
  for (const variant of stress.stressVariants({ step: 3 })) jobs.push({ name: `stress ${variant.name}`, doc: variant.doc });

  // table 三 pushed down line by line: split after many different rows
  for (const edition of ['2019', '2021']) {
    const grid = fillGrid(officialGrid(edition, 'table3'), sample.distinctReport(edition));
    for (let paragraphs = 0; paragraphs <= 22; paragraphs++) {
      const blocks = [
        ...Array.from({ length: paragraphs }, () => ({ kind: 'paragraph', indent: true, text: '填充段落，占一行。' })),
        { kind: 'table', table: 'table3', grid },
      ];
      jobs.push({ name: `split ${edition} table3 after ${paragraphs} lines`, doc: sample.blocksDocument('分页测试', blocks, edition) });
    }
  }

  // the hand-made sample documents
  for (const edition of ['2019', '2021']) {
    for (let paragraphs = 0; paragraphs <= 5; paragraphs++) jobs.push({ name: `sample ${edition} ${paragraphs} paragraphs`, doc: sample.sampleDocument(sample.distinctReport(edition), paragraphs) });
  }

  mkdirSync(dir, { recursive: true });
  const unstable: string[] = [];
  for (const [i, job] of jobs.entries()) {
    const file = path.join(dir, `${String(i).padStart(4, '0')}.pdf`);
    const bytes = Buffer.from(await renderPdf(job.doc, job.options));
    writeFileSync(file, bytes);
    if (twice && !bytes.equals(Buffer.from(await renderPdf(job.doc, job.options)))) unstable.push(job.name);
  }
  writeFileSync(path.join(dir, 'index.json'), JSON.stringify({ names: jobs.map((j) => j.name), unstable }, null, 1));
  rmSync(fontDir, { recursive: true, force: true });
}

const run = (command: string, ...argv: string[]) => execFileSync(command, argv, { maxBuffer: 1 << 28 });

/** Every page of a PDF at 72 dpi, grey (PGM files' bytes). */
function pages(file: string, scratch: string): Buffer[] {
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  run('pdftoppm', '-r', '72', '-gray', file, path.join(scratch, 'p'));
  return readdirSync(scratch)
    .sort()
    .map((f) => readFileSync(path.join(scratch, f)));
}

/** The words of a PDF with their boxes (pdftotext -bbox), page by page. */
function words(file: string): { page: number; text: string; box: number[] }[] {
  const html = run('pdftotext', '-bbox', file, '-').toString('utf8');
  const out: { page: number; text: string; box: number[] }[] = [];
  let page = 0;
  for (const line of html.split('\n')) {
    if (line.includes('<page ')) page++;
    const m = line.match(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)<\/word>/);
    if (m) out.push({ page, text: m[5], box: m.slice(1, 5).map(Number) });
  }
  return out;
}

/** pdffonts' table without the object numbers (which depend on the order objects are written). */
function fonts(file: string): string[] {
  return run('pdffonts', file)
    .toString('utf8')
    .split('\n')
    .slice(2)
    .filter(Boolean)
    .map((line) => line.replace(/\s+\d+\s+\d+\s*$/, '').replace(/\s+/g, ' '));
}

function info(file: string): string[] {
  return run('pdfinfo', file)
    .toString('utf8')
    .split('\n')
    .filter((line) => line && !line.startsWith('Producer:') && !line.startsWith('File size:'));
}

function compare(before: string, after: string, scratch: string): { problems: string[]; pages: number } {
  const problems: string[] = [];
  const [a, b] = [pages(before, path.join(scratch, 'a')), pages(after, path.join(scratch, 'b'))];
  if (a.length !== b.length) problems.push(`${a.length} pages before, ${b.length} after`);
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (!a[i].equals(b[i])) problems.push(`page ${i + 1} pixels differ`);
  const [wa, wb] = [words(before), words(after)];
  if (wa.length !== wb.length) problems.push(`${wa.length} words before, ${wb.length} after`);
  for (let i = 0; i < Math.min(wa.length, wb.length); i++) {
    const [x, y] = [wa[i], wb[i]];
    if (x.page !== y.page || x.text !== y.text || x.box.some((v, k) => Math.abs(v - y.box[k]) > 0.01)) {
      problems.push(`word ${i}: ${x.page}:${x.text}@${x.box.join(',')} before, ${y.page}:${y.text}@${y.box.join(',')} after`);
      break;
    }
  }
  const [fa, fb] = [fonts(before), fonts(after)];
  if (fa.join('\n') !== fb.join('\n')) problems.push(`fonts: ${fa.join(' | ')} before, ${fb.join(' | ')} after`);
  const [ia, ib] = [info(before), info(after)];
  if (ia.join('\n') !== ib.join('\n')) problems.push(`info: ${ia.filter((l) => !ib.includes(l)).join(' | ')} before, ${ib.filter((l) => !ia.includes(l)).join(' | ')} after`);
  return { problems, pages: b.length };
}

async function main(): Promise<void> {
  const distinct = Number(option('--distinct') ?? 40);
  const render = option('--render');
  if (render) return renderSet(path.resolve(render), path.resolve(option('--dir')!), distinct, args.includes('--twice'));

  const before = option('--before');
  if (!before) throw new Error('usage: node --import tsx scripts/compare-pdfs.ts --before <checkout> [--after <checkout>] [--distinct N] [--out DIR]');
  const after = option('--after') ?? '.';
  const out = path.resolve(option('--out') ?? mkdtempSync(path.join(tmpdir(), 'nianbao-compare-')));
  const self = path.resolve(import.meta.filename);
  for (const [side, root, twice] of [['before', before, false], ['after', after, true]] as const) {
    const result = spawnSync(process.execPath, ['--import', 'tsx', self, '--render', path.resolve(root), '--dir', path.join(out, side), '--distinct', String(distinct), ...(twice ? ['--twice'] : [])], {
      cwd: path.resolve(root),
      stdio: 'inherit',
    });
    if (result.status !== 0) throw new Error(`rendering with ${root} failed`);
  }
  const index = (side: string) => JSON.parse(readFileSync(path.join(out, side, 'index.json'), 'utf8')) as { names: string[]; unstable: string[] };
  const names = index('before').names;
  if (names.join('\n') !== index('after').names.join('\n')) throw new Error('the two checkouts made different sets of documents');
  let differing = 0;
  let pageCount = 0;
  for (const [i, name] of names.entries()) {
    const file = `${String(i).padStart(4, '0')}.pdf`;
    const [a, b] = [path.join(out, 'before', file), path.join(out, 'after', file)];
    if (!existsSync(a) || !existsSync(b)) throw new Error(`${file} missing`);
    const { problems, pages: count } = compare(a, b, path.join(out, 'scratch'));
    pageCount += count;
    if (problems.length > 0) {
      differing++;
      console.log(`${file} ${name}:\n  ${problems.slice(0, 5).join('\n  ')}`);
    }
  }
  const unstable = index('after').unstable;
  for (const name of unstable) console.log(`not deterministic: ${name}`);
  console.log(`${names.length} documents, ${pageCount} pages: ${differing} differ; ${unstable.length} not byte-identical when rendered twice (after). Files in ${out}`);
  process.exitCode = differing > 0 || unstable.length > 0 ? 1 : 0;
}

await main();
