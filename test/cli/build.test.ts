/**
 * `buildReport` and `nianbao build`: a checked report becomes html/docx/pdf files named after its
 * title, next to the input or in -o DIR; a report failing its check writes nothing and touches no
 * existing file; the same input gives the same bytes.
 */
import { appendFileSync, copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import { stringify } from 'yaml';
import { buildReport } from '../../src/build.js';
import { main } from '../../src/cli/main.js';
import { officialGrid, TABLE_IDS, type EditionId } from '../../src/format/official.js';
import { packageRoot } from '../../src/format/paths.js';
import { safeFileName, writeFileAtomic } from '../../src/render/write.js';
import { buildWorkspace } from '../../src/workspace/batch/batch.js';
import { loadWorkspaceConfig } from '../../src/workspace/config/config.js';

/** A report that passes the check: all cells 0, then a few consistent figures. */
function validReport(edition: EditionId, name = '测试镇人民政府', narrative: Record<string, unknown> = {}): Record<string, unknown> {
  const data: Record<string, unknown> = {
    format: edition,
    year: edition === '2019' ? 2020 : 2024,
    agency: { name, office: '党政办', phone: '0000-1234567' },
    date: edition === '2019' ? '2021-01-20' : '2025-01-20',
    narrative: { overview: '本年新收申请{{三.一.总计}}件，办结{{三.三.（七）.总计}}件，结转{{三.四.总计}}件。', problems: '问题。', other: '无。', ...narrative },
  };
  const set = (dotted: string, value: number) => {
    const keys = dotted.split('.');
    let node = data as Record<string, unknown>;
    keys.slice(0, -1).forEach((k, i) => {
      node[k] ??= /^\d+$/.test(keys[i + 1]) ? [] : {};
      node = node[k] as Record<string, unknown>;
    });
    node[keys.at(-1)!] = value;
  };
  for (const t of TABLE_IDS) for (const c of officialGrid(edition, t).dataCells()) set(c.path!, 0);
  const row = (p: string, v: number[]) => v.forEach((x, i) => set(`${p}.${i}`, x));
  row('applications.received', [2, 1, 0, 0, 0, 0, 3]);
  row('applications.results.granted', [1, 1, 0, 0, 0, 0, 2]);
  row('applications.results.total', [1, 1, 0, 0, 0, 0, 2]);
  row('applications.carried_forward', [1, 0, 0, 0, 0, 0, 1]);
  row('review_litigation.review', [1, 0, 0, 0, 1]);
  return data;
}

function workdir(): string {
  return mkdtempSync(path.join(tmpdir(), 'nianbao-build-'));
}

function writeYaml(dir: string, name: string, data: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, stringify(data));
  return file;
}

const TITLE = '测试镇人民政府2024年政府信息公开工作年度报告';

describe('buildReport', () => {
  it('writes the three formats next to the input, named after the title', async () => {
    const dir = workdir();
    const file = writeYaml(dir, 'report.yaml', validReport('2021'));
    const result = await buildReport(file, { formats: ['html', 'docx', 'pdf'] });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.outputs).toEqual(['html', 'docx', 'pdf'].map((ext) => path.join(dir, `${TITLE}.${ext}`)));
    const html = readFileSync(result.outputs[0], 'utf8');
    expect(html).toContain('<p class="indent">本年新收申请3件，办结2件，结转1件。</p>');
    expect(readFileSync(result.outputs[1]).subarray(0, 2).toString()).toBe('PK');
    expect(readFileSync(result.outputs[2]).subarray(0, 5).toString()).toBe('%PDF-');
    expect(readdirSync(dir).sort()).toEqual(['report.yaml', `${TITLE}.docx`, `${TITLE}.html`, `${TITLE}.pdf`].sort());
  });

  it('writes only the named formats, into outDir, and gives the same bytes every time', async () => {
    const dir = workdir();
    const file = writeYaml(dir, 'r.yaml', validReport('2019'));
    const out1 = path.join(dir, 'out1');
    const out2 = path.join(dir, 'nested', 'out2');
    const a = await buildReport(file, { formats: ['pdf', 'html', 'docx'], outDir: out1 });
    const b = await buildReport(file, { formats: ['html', 'docx', 'pdf'], outDir: out2 });
    expect(a.ok && b.ok).toBe(true);
    expect(readdirSync(out1).sort()).toEqual(readdirSync(out2).sort());
    for (const name of readdirSync(out1)) expect(readFileSync(path.join(out1, name)).equals(readFileSync(path.join(out2, name))), name).toBe(true);
    const only = await buildReport(file, { formats: ['html'], outDir: path.join(dir, 'only') });
    expect(only.outputs).toEqual([path.join(dir, 'only', '测试镇人民政府2020年政府信息公开工作年度报告.html')]);
  });

  it('does not build a report that fails its check, and leaves existing outputs untouched', async () => {
    const dir = workdir();
    const data = validReport('2021');
    ((data.applications as Record<string, unknown>).results as Record<string, number[]>).total[0] = 5; // breaks T3 sums
    const file = writeYaml(dir, 'bad.yaml', data);
    const previous = path.join(dir, `${TITLE}.html`);
    writeFileSync(previous, 'last good build');
    const result = await buildReport(file, { formats: ['html', 'docx', 'pdf'] });
    expect(result.ok).toBe(false);
    expect(result.usable).toBe(true);
    expect(result.outputs).toEqual([]);
    expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    expect(readFileSync(previous, 'utf8')).toBe('last good build');
    expect(readdirSync(dir).sort()).toEqual(['bad.yaml', `${TITLE}.html`].sort());
  });

  it('reports an unknown narrative placeholder at its line and builds nothing', async () => {
    const dir = workdir();
    const file = writeYaml(dir, 'ref.yaml', validReport('2021', '测试镇人民政府', { other: '共收取信息处理费{{三.九.总计}}元。' }));
    const result = await buildReport(file, { formats: ['html'] });
    expect(result.ok).toBe(false);
    const d = result.diagnostics.find((x) => x.rule === 'NARRATIVE-REF')!;
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines[d.line - 1]).toContain('other:');
    expect(d.message).toContain('{{三.九.总计}}');
    expect(readdirSync(dir)).toEqual(['ref.yaml']);
  });

  it('refuses to overwrite what another report of the same run wrote (claim)', async () => {
    const dir = workdir();
    const file = writeYaml(dir, 'a.yaml', validReport('2021'));
    const result = await buildReport(file, { formats: ['html'], claim: () => false });
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => d.rule)).toContain('OUTPUT-CLASH');
    expect(readdirSync(dir)).toEqual(['a.yaml']);
  });
});

describe('nianbao build', () => {
  const out: string[] = [];
  const err: string[] = [];
  const capture = () => {
    out.length = 0;
    err.length = 0;
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  };
  afterEach(() => vi.restoreAllMocks());

  it('builds files and folders, only the named formats, into -o DIR', async () => {
    const dir = workdir();
    mkdirSync(path.join(dir, 'reports'));
    writeYaml(path.join(dir, 'reports'), 'a.yaml', validReport('2021', '甲镇人民政府'));
    writeYaml(path.join(dir, 'reports'), 'b.yml', validReport('2019', '乙镇人民政府'));
    capture();
    const code = await main(['build', path.join(dir, 'reports'), '--html', '-o', path.join(dir, 'site')]);
    expect(code).toBe(0);
    expect(readdirSync(path.join(dir, 'site')).sort()).toEqual(['甲镇人民政府2024年政府信息公开工作年度报告.html', '乙镇人民政府2020年政府信息公开工作年度报告.html'].sort());
    expect(out.join('')).toContain('已生成');
  });

  it('exits 1 and writes nothing for a report with errors, printing file:line:col diagnostics', async () => {
    const dir = workdir();
    const data = validReport('2021');
    (data.review_litigation as Record<string, number[]>).review[4] = 9;
    const file = writeYaml(dir, 'bad.yaml', data);
    capture();
    expect(await main(['build', file, '-o', path.join(dir, 'out')])).toBe(1);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
    expect(err.join('')).toMatch(new RegExp(`bad\\.yaml:\\d+:\\d+ 错误 `));
    expect(err.join('')).toContain('未生成');
  });

  it('exits 2 for a missing file, a bad option or a broken template folder, without a stack trace', async () => {
    const dir = workdir();
    capture();
    expect(await main(['build', path.join(dir, 'nope.yaml')])).toBe(2);
    expect(await main(['build', '--bogus', 'x.yaml'])).toBe(2);
    const file = writeYaml(dir, 'ok.yaml', validReport('2021'));
    const tpl = path.join(dir, 'tpl');
    mkdirSync(tpl);
    writeFileSync(path.join(tpl, 'title.hbs'), '<title><line>{{agency.nmae}}</line></title>');
    expect(await main(['build', file, '--html', '--templates', tpl])).toBe(2);
    const text = err.join('');
    expect(text).toContain('模板错误');
    expect(text).toContain('title.hbs 第1行');
    expect(text).not.toMatch(/\n\s+at /);
    expect(readdirSync(dir).sort()).toEqual(['ok.yaml', 'tpl']);
  });

  it('refuses a second report that would overwrite the first one\'s files', async () => {
    const dir = workdir();
    writeYaml(dir, 'a.yaml', validReport('2021'));
    writeYaml(dir, 'b.yaml', validReport('2021'));
    capture();
    expect(await main(['build', path.join(dir, 'a.yaml'), path.join(dir, 'b.yaml'), '--html', '-o', path.join(dir, 'out')])).toBe(1);
    expect(err.join('')).toContain('OUTPUT-CLASH');
    expect(readdirSync(path.join(dir, 'out'))).toEqual([`${TITLE}.html`]);
  });

  it('uses a county template folder', async () => {
    const dir = workdir();
    const file = writeYaml(dir, 'ok.yaml', validReport('2021'));
    const tpl = path.join(dir, 'tpl');
    mkdirSync(tpl);
    writeFileSync(path.join(tpl, 'signature.hbs'), '<signature><line>{{agency.name}}（盖章）</line><line>{{date}}</line></signature>');
    capture();
    expect(await main(['build', file, '--html', '--templates', tpl, '-o', path.join(dir, 'out')])).toBe(0);
    // (the 落款 may break only between words: <wbr> between them; each line states its indent)
    expect(readFileSync(path.join(dir, 'out', `${TITLE}.html`), 'utf8').replace(/<wbr>/g, '')).toMatch(/<p style="padding-right: [\d.]+em">测试镇人民政府（盖章）<\/p>/);
  });
});

describe('nianbao build <file> inside a workspace', () => {
  afterEach(() => vi.restoreAllMocks());

  /** examples/workspace copied (without its built out/), with a PDF body font file of its own. */
  function exampleWorkspace(): string {
    const ws = path.join(workdir(), '云溪县');
    cpSync(path.join(packageRoot, 'examples', 'workspace'), ws, { recursive: true, filter: (src) => path.basename(src) !== 'out' });
    mkdirSync(path.join(ws, 'fonts'));
    const light = createRequire(import.meta.url).resolve('@expo-google-fonts/noto-serif-sc/300Light/NotoSerifSC_300Light.ttf');
    copyFileSync(light, path.join(ws, 'fonts', 'light.ttf'));
    appendFileSync(path.join(ws, 'nianbao.yaml'), '\nfonts:\n  body: {file: fonts/light.ttf, word: 方正仿宋_GBK}\n  heading1: {word: 方正黑体_GBK}\n');
    return ws;
  }
  const baseFonts = (bytes: Uint8Array) => [...new Set([...Buffer.from(bytes).toString('latin1').matchAll(/\/BaseFont \/[A-Z]{6}\+([\w-]+)/g)].map((m) => m[1]))];

  it('uses nianbao.yaml (agency defaults, county template, fonts) and gives the batch build\'s bytes', async () => {
    const ws = exampleWorkspace();
    const single = path.join(path.dirname(ws), 'single');
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await main(['build', path.join(ws, 'reports', '2021', '红椿镇.yaml'), '-o', single])).toBe(0);
    const title = '红椿镇人民政府2021年政府信息公开工作年度报告';
    const html = readFileSync(path.join(single, `${title}.html`), 'utf8');
    // templates/preface.hbs of the county (the bundled preface names no 上级政府 and no “政府信息公开”专栏)
    // filled with agency defaults the report leaves out: parent, website, office.
    expect(html).toContain('本报告电子版可在云溪县人民政府门户网站（<span class="url">https://www.yunxi.gov.cn</span>）“政府信息公开”专栏查阅和下载。');
    expect(html).toContain('请与红椿镇人民政府党政办公室联系');
    expect(baseFonts(readFileSync(path.join(single, `${title}.pdf`)))).toContain('NotoSerifSC-Light');
    // `word:` names the county's faces in the docx (on the runs of document.xml or in the paragraph
    // styles of styles.xml); roles without it keep the official names.
    const parts = unzipSync(readFileSync(path.join(single, `${title}.docx`)));
    const xml = Object.entries(parts).filter(([name]) => /^word\/(document|styles|footer\d*)\.xml$/.test(name)).map(([, bytes]) => strFromU8(bytes)).join('\n');
    const eastAsia = (face: string) => xml.split(`w:eastAsia="${face}"`).length - 1;
    expect(eastAsia('方正仿宋_GBK')).toBeGreaterThan(0);
    expect(eastAsia('方正黑体_GBK')).toBeGreaterThan(0);
    expect(eastAsia('黑体')).toBe(0);
    expect(eastAsia('楷体_GB2312')).toBeGreaterThan(0);
    expect(eastAsia('方正小标宋简体')).toBeGreaterThan(0);

    // The batch build of the same workspace writes the very same bytes.
    const config = loadWorkspaceConfig(ws);
    await buildWorkspace({ ...config, reports: [path.join(ws, 'reports', '2021')] }, { jobs: 1 });
    for (const format of ['html', 'docx', 'pdf']) {
      expect(readFileSync(path.join(single, `${title}.${format}`)).equals(readFileSync(path.join(config.output, '2021', `红椿镇.${format}`))), format).toBe(true);
    }
  }, 120_000);

  it('without -o a report is written where the batch build and nianbao config say, never next to its YAML', async () => {
    const ws = exampleWorkspace();
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const yaml = path.join(ws, 'reports', '2021', '青石镇.yaml');
    expect(await main(['config', yaml, '--format', 'json'])).toBe(0);
    const view = JSON.parse(out.join(''));
    const said = JSON.stringify(view);
    out.length = 0;
    const cwd = process.cwd();
    process.chdir(path.join(ws, 'reports', '2021'));
    try {
      expect(await main(['build', '青石镇.yaml', '--html', '--docx'])).toBe(0);
    } finally {
      process.chdir(cwd);
    }
    expect(readdirSync(path.join(ws, 'reports', '2021')).sort()).toEqual(['红椿镇.yaml', '青石镇.yaml']);
    const built = ['html', 'docx'].map((f) => path.join(ws, 'out', '2021', `青石镇.${f}`));
    for (const file of built) {
      expect(existsSync(file), file).toBe(true);
      // config names the same files (paths relative to the workspace)
      expect(said).toContain(path.relative(ws, file).split(path.sep).join('/'));
    }
    expect(readdirSync(path.join(ws, 'out', '2021')).sort()).toEqual(['青石镇.docx', '青石镇.html']);
    // the batch build writes the same bytes to the same paths
    const single = built.map((f) => readFileSync(f));
    const config = loadWorkspaceConfig(ws);
    await buildWorkspace({ ...config, formats: ['html', 'docx'] }, { jobs: 1 });
    built.forEach((file, i) => expect(readFileSync(file).equals(single[i]!), file).toBe(true));
  }, 120_000);

  it('a folder above a workspace builds its reports, not its nianbao.yaml or its output folder', async () => {
    const ws = exampleWorkspace();
    mkdirSync(path.join(ws, 'out'));
    writeFileSync(path.join(ws, 'out', 'stale.yaml'), 'not: a report\n');
    const err: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
    const site = path.join(path.dirname(ws), 'site');
    expect(await main(['build', path.dirname(ws), '--html', '-o', site])).toBe(0);
    expect(err.join('')).toContain('4 份报告：生成 4 份');
    expect(readdirSync(site)).toHaveLength(4);
  }, 60_000);

  it('outside a workspace the report is built without any defaults', async () => {
    const dir = workdir();
    const data = validReport('2021');
    const file = writeYaml(dir, 'ok.yaml', data);
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await main(['build', file, '--html'])).toBe(0);
    const html = readFileSync(path.join(dir, `${TITLE}.html`), 'utf8');
    expect(html).toContain('请与测试镇人民政府党政办联系');
    expect(html).not.toContain('“政府信息公开”专栏');
  });
});

describe('atomic writes', () => {
  it('replaces a file without leaving temporary files', async () => {
    const dir = workdir();
    const target = path.join(dir, 'a.html');
    await writeFileAtomic(target, 'one');
    await writeFileAtomic(target, 'two');
    expect(readFileSync(target, 'utf8')).toBe('two');
    expect(readdirSync(dir)).toEqual(['a.html']);
  });

  it('leaves no temporary file when the rename fails', async () => {
    const dir = workdir();
    const target = path.join(dir, 'taken');
    mkdirSync(path.join(target, 'inside'), { recursive: true });
    await expect(writeFileAtomic(target, 'x')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
  });

  it('makes titles safe as file names', () => {
    expect(safeFileName('某某局/办公室:2024年*报告?')).toBe('某某局_办公室_2024年_报告_');
    expect(safeFileName(' .. ')).toBe('report');
  });
});
