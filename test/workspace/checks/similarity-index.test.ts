/**
 * 内容雷同 through the section index (prefix filtering over numbered passages) against a straightforward
 * reference that compares every pair of a generated workspace: exactly the same reports, with the same
 * shares, at the workspace's thresholds and lower ones; and the same WS-SIMILAR findings as the check
 * pair by pair. And other agencies' names found by one automaton exactly where looking for each name finds them.
 */
import { describe, expect, it } from 'vitest';
import { generateReport, reportYaml, townshipNames, type GeneratedState } from '../../../bench/lib/generate.js';
import { narrativeTexts, type ReportEntry } from '../../../src/workspace/checks/entry.js';
import { SectionIndex, similarityDiagnostics, workspaceSimilarity } from '../../../src/workspace/checks/similarity.js';
import { AgencyNames } from '../../../src/workspace/checks/foreign-names.js';
import { shortName } from '../../../src/workspace/config/effective.js';
import { entryOf } from '../../workspace-fixtures.js';

/** A county of townships × years the bench's way, with some sections copied from another township, partly edited. */
function workspace(towns: number): ReportEntry[] {
  const entries: ReportEntry[] = [];
  const years = [2021, 2022, 2023];
  const reports: { town: string; year: number; report: Record<string, unknown> }[] = [];
  townshipNames(towns, 17).forEach((town, t) => {
    let previous: GeneratedState | undefined;
    for (const year of years) {
      const { report, state } = generateReport({ agency: town, year, seed: t * 100 + year, previous });
      previous = state;
      reports.push({ town, year, report: report as unknown as Record<string, unknown> });
    }
  });
  reports.forEach(({ report }, i) => {
    const overview = (report.narrative as { overview: Record<string, string> }).overview;
    // every fifth copies a section of another township, with a sentence more or a few characters changed
    if (i % 5 === 0 && i >= 7) {
      const source = (reports[i - 7].report.narrative as { overview: Record<string, string> }).overview;
      overview.platforms = i % 2 === 0 ? `${source.platforms}另外加强了新媒体平台的日常管理。` : source.platforms.replace(/。/, '；');
      overview.management = source.management;
    }
  });
  for (const { town, year, report } of reports) entries.push(entryOf(reportYaml(report as never), `r/${year}/${town}.yaml`, `reports/${year}/${town}.yaml`));
  return entries;
}

/** The share of `a`'s 5-character positions whose passage occurs anywhere in `b`, white space removed: by definition. */
function referenceShare(a: string, b: string): number {
  const pa = a.replace(/\s+/g, '');
  const pb = b.replace(/\s+/g, '');
  const total = pa.length - 4;
  if (total <= 0) return 0;
  let hits = 0;
  for (let i = 0; i < total; i++) if (pb.includes(pa.slice(i, i + 5))) hits++;
  return hits / total;
}

describe('内容雷同 through the section index', () => {
  const entries = workspace(40);
  const index = new SectionIndex(entries);

  it('finds exactly the reports, with the same shares, that comparing every pair finds', () => {
    let pairs = 0;
    for (const threshold of [0.8, 0.5, 0.3]) {
      for (const entry of entries) {
        for (const { key, text } of narrativeTexts(entry.data)) {
          const expected = entries
            .map((other) => {
              const theirs = narrativeTexts(other.data).find((t) => t.key === key);
              return { entry: other.rel, share: theirs ? referenceShare(text, theirs.text) : 0 };
            })
            .filter((m) => m.share >= threshold)
            .sort((a, b) => (a.entry! < b.entry! ? -1 : 1));
          const found = index
            .over(key, text, threshold)
            .map((m) => ({ entry: m.entry.rel, share: m.share }))
            .sort((a, b) => (a.entry! < b.entry! ? -1 : 1));
          expect(found, `${entry.rel} ${key} at ${threshold}`).toEqual(expected);
          // the report itself is always found; count the others
          if (threshold === 0.8) pairs += found.length - 1;
        }
      }
    }
    // the copied sections are over 80%: the comparison is not vacuous
    expect(pairs).toBeGreaterThan(20);
  });

  it('gives the same WS-SIMILAR findings as the check pair by pair', () => {
    const thresholds = { previous: 0.5, others: 0.8 };
    let findings = 0;
    for (const entry of entries) {
      const previous = entries.find((e) => e.name === entry.name && e.year === entry.year! - 1);
      const others = [
        ...(previous ? [{ entry: previous, relation: 'previous' as const }] : []),
        ...entries.filter((e) => e !== entry && e.name !== undefined && e.name !== entry.name).map((e) => ({ entry: e, relation: 'sibling' as const })),
      ];
      const expected = similarityDiagnostics(entry, others, thresholds);
      expect(workspaceSimilarity(entry, previous, thresholds, index)).toEqual(expected);
      findings += expected.length;
    }
    expect(findings).toBeGreaterThan(10);
  });
});

describe('other agencies\' names through one automaton', () => {
  it('finds every occurrence that looking for each name in each text finds, and no other', () => {
    const towns = townshipNames(30, 5);
    const entries = towns.map((town, i) => {
      const { report } = generateReport({ agency: town, year: 2022, seed: i });
      const narrative = report.narrative as unknown as { overview: Record<string, string>; problems: string };
      const a = shortName(towns[(i + 1) % towns.length]);
      const b = shortName(towns[(i + 7) % towns.length]);
      // names repeated, adjacent, one inside a longer run of text, and the report's own
      narrative.overview.platforms = `${narrative.overview.platforms}参照${a}、${b}${b}的做法，${shortName(town)}与${a}联合开展培训。`;
      narrative.problems = `${narrative.problems}${i % 3 === 0 ? `与${a}相比仍有差距。` : ''}`;
      return entryOf(reportYaml(report), `r/${town}.yaml`, `reports/2022/${town}.yaml`);
    });
    const names = new AgencyNames(entries);
    let found = 0;
    for (const entry of entries) {
      const expected: string[] = [];
      const others = [...new Set(entries.filter((e) => e.name !== entry.name).map((e) => shortName(e.name!)))].sort();
      for (const { text } of narrativeTexts(entry.data)) {
        for (const short of others) {
          if (entry.name!.includes(short)) continue;
          for (let at = text.indexOf(short); at >= 0; at = text.indexOf(short, at + short.length)) expected.push(`「${short}」@${at}`);
        }
      }
      const actual = names.diagnostics(entry).map((d) => {
        expect(d.rule).toBe('WS-FOREIGN-NAME');
        return d.message;
      });
      expect(actual).toHaveLength(expected.length);
      for (const [i, e] of expected.entries()) expect(actual[i]).toContain(e.slice(0, e.indexOf('@')));
      found += actual.length;
    }
    expect(found).toBeGreaterThan(60);
  });
});
