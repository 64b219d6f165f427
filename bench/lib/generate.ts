/**
 * Realistic, consistent township reports for the benchmark and the fuzzer: figures of the size a
 * township or county department really reports (a handful to a few dozen applications, mostly from
 * natural persons), every 勾稽关系 of FORMAT.md §3.1–3.2 kept, year-to-year carry-overs kept, and
 * narrative of a real report's length that quotes the table's own figures. Deterministic per seed.
 */
import { Document, visit } from 'yaml';
import type { ApplicantRow, OutcomeRow, Report, Report2019, Report2021 } from '../../src/format/report.js';

/** mulberry32: a small seeded PRNG, so a generated workspace is the same on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rand, list: readonly T[]): T => list[Math.floor(r() * list.length)];

/** Row of six applicant columns plus their 总计. */
function row(six: number[]): ApplicantRow {
  return [...six, six.reduce((a, b) => a + b, 0)] as ApplicantRow;
}
function outcome(four: number[]): OutcomeRow {
  return [...four, four.reduce((a, b) => a + b, 0)] as OutcomeRow;
}
const zeros = () => [0, 0, 0, 0, 0, 0];

/** Applicant mix of a township: mostly natural persons, some companies, rarely the others. */
const COLUMN_WEIGHT = [0.78, 0.12, 0.01, 0.02, 0.04, 0.03];

/** Splits `n` requests over the six applicant columns. */
function byApplicant(r: Rand, n: number): number[] {
  const out = zeros();
  for (let i = 0; i < n; i++) {
    let x = r();
    let c = 0;
    while (c < 5 && x >= COLUMN_WEIGHT[c]) x -= COLUMN_WEIGHT[c++];
    out[c]++;
  }
  return out;
}

const RESULT_KEYS_2019 = [
  'granted', 'partially_granted',
  'denied.state_secret', 'denied.prohibited_by_law', 'denied.three_safeties_one_stability', 'denied.third_party_rights',
  'denied.internal_affairs', 'denied.process_information', 'denied.enforcement_files', 'denied.query_matters',
  'unable.not_held', 'unable.needs_creation', 'unable.still_unclear',
  'not_processed.petitions', 'not_processed.repeated', 'not_processed.publications', 'not_processed.excessive', 'not_processed.confirmation',
  'other',
] as const;
const RESULT_KEYS_2021 = [...RESULT_KEYS_2019.slice(0, -1), 'other.no_correction', 'other.unpaid_fees', 'other.other'] as const;
/** How a township's requests end: most are granted, 本机关不掌握 is the usual refusal. */
const RESULT_WEIGHT: Record<string, number> = { granted: 0.55, partially_granted: 0.08, 'unable.not_held': 0.18, 'not_processed.repeated': 0.04, 'not_processed.petitions': 0.04, 'denied.third_party_rights': 0.02, 'denied.process_information': 0.02, 'unable.still_unclear': 0.02, other: 0.05, 'other.other': 0.02, 'other.no_correction': 0.02, 'other.unpaid_fees': 0.01 };

function setDotted(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys.at(-1)!] = value;
}

export interface ApplicationState {
  /** 结转下年度继续办理 per applicant column: next year's 上年结转. */
  carriedForward: number[];
}

export interface GeneratedState {
  applications: ApplicationState;
  rulesInForce: number;
  normativeInForce: number;
  /** 2019 edition 上一年项目数量 + 本年增/减 per item row, for the next year. */
  items: Record<string, number>;
}

export interface GenerateOptions {
  agency: string;
  year: number;
  seed: number;
  /** last year's state, so carry-overs and 现行有效件数 follow on */
  previous?: GeneratedState;
  /** scale of the agency: requests per year around this figure */
  scale?: number;
}

/** One consistent, realistic report and the state the next year's report continues from. */
export function generateReport(opts: GenerateOptions): { report: Report; state: GeneratedState } {
  const r = rng(opts.seed);
  const edition = opts.year <= 2020 ? '2019' : '2021';
  const scale = opts.scale ?? int(r, 2, 40);
  const carriedOver = opts.previous?.applications.carriedForward ?? byApplicant(r, int(r, 0, 3));
  const received = byApplicant(r, Math.max(0, Math.round(scale * (0.6 + r() * 0.8))));
  const keys = edition === '2019' ? RESULT_KEYS_2019 : RESULT_KEYS_2021;
  const results: Record<string, number[]> = Object.fromEntries(keys.map((k) => [k, zeros()]));
  const forward = zeros();
  const weights = keys.map((k) => RESULT_WEIGHT[k] ?? 0.003);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  for (let c = 0; c < 6; c++) {
    const open = received[c] + carriedOver[c];
    for (let i = 0; i < open; i++) {
      if (r() < 0.06) {
        forward[c]++;
        continue;
      }
      let x = r() * weightSum;
      let k = 0;
      while (k < keys.length - 1 && x >= weights[k]) x -= weights[k++];
      results[keys[k]][c]++;
    }
  }
  const total = zeros();
  for (const k of keys) results[k].forEach((v, c) => (total[c] += v));

  const applications: Record<string, unknown> = { received: row(received), carried_over: row(carriedOver), results: {} };
  for (const k of keys) setDotted(applications.results as Record<string, unknown>, k, row(results[k]));
  (applications.results as Record<string, unknown>).total = row(total);
  applications.carried_forward = row(forward);

  const reviewCases = r() < 0.8 ? 0 : int(r, 1, 3);
  const review = outcome(byOutcome(r, reviewCases));
  const direct = outcome(byOutcome(r, r() < 0.9 ? 0 : int(r, 1, 2)));
  const afterReview = outcome(byOutcome(r, r() < 0.95 ? 0 : 1));

  const rulesIssued = r() < 0.9 ? 0 : int(r, 1, 2);
  const normIssued = int(r, 0, 12);
  const rulesRepealed = 0;
  const normRepealed = int(r, 0, Math.min(3, opts.previous?.normativeInForce ?? 3));
  const rulesInForce = (opts.previous?.rulesInForce ?? int(r, 0, 2)) + rulesIssued - rulesRepealed;
  const normativeInForce = (opts.previous?.normativeInForce ?? int(r, 5, 60)) + normIssued - normRepealed;
  const licensing = int(r, 0, 3000);
  const penalty = int(r, 0, 400);
  const coercion = int(r, 0, 30);
  const feeAmount = Math.round(r() * 30000) / 100;

  const items: Record<string, number> = {};
  let active: Report2019['active_disclosure'] | Report2021['active_disclosure'];
  if (edition === '2021') {
    active = {
      rules: { issued: rulesIssued, repealed: rulesRepealed, in_force: rulesInForce },
      normative_documents: { issued: normIssued, repealed: normRepealed, in_force: normativeInForce },
      licensing: { decisions: licensing },
      penalty: { decisions: penalty },
      coercion: { decisions: coercion },
      fees: { amount: feeAmount },
    };
  } else {
    const counts = (name: string, decisions: number) => {
      const previous = opts.previous?.items[name] ?? int(r, 5, 120);
      const change = int(r, -Math.min(5, previous), 8);
      items[name] = previous + change;
      return { previous_items: previous, change, decisions };
    };
    const published = normIssued;
    const fees = counts('fees', 0);
    active = {
      rules: { made: rulesIssued, published: rulesIssued, total_published: rulesInForce },
      normative_documents: { made: normIssued, published, total_published: normativeInForce + published },
      licensing: counts('licensing', licensing),
      other_services: counts('other_services', int(r, 0, 800)),
      penalty: counts('penalty', penalty),
      coercion: counts('coercion', coercion),
      fees: { previous_items: fees.previous_items, change: fees.change },
      procurement: { items: int(r, 0, 20), amount: Math.round(r() * 200000) / 100 },
    };
  }

  const receivedTotal = received.reduce((a, b) => a + b, 0);
  const report = {
    format: edition,
    year: opts.year,
    agency: {
      name: opts.agency,
      office: pick(r, ['党政办公室', '综合办公室', '办公室', '党政综合办公室']),
      phone: `0${int(r, 310, 999)}-${int(r, 2000000, 8999999)}`,
      address: `${opts.agency.replace(/人民政府$/, '')}${pick(r, ['人民路', '政府街', '建设路', '府前路'])}${int(r, 1, 300)}号`,
      postcode: String(int(r, 100000, 859999)),
      website: `http://www.example.gov.cn/${opts.seed}`,
    },
    date: `${opts.year + 1}-01-${String(int(r, 10, 28)).padStart(2, '0')}`,
    narrative: narrative(r, opts.agency, opts.year, edition, {
      unpaidFees: edition === '2021' ? results['other.unpaid_fees'].reduce((a, b) => a + b, 0) : 0,
      receivedTotal,
      carriedTotal: carriedOver.reduce((a, b) => a + b, 0),
      reviewTotal: review[4],
      litigationTotal: direct[4] + afterReview[4],
      normIssued,
    }),
    active_disclosure: active,
    applications,
    review_litigation: { review, litigation_direct: direct, litigation_after_review: afterReview },
  } as unknown as Report;
  return { report, state: { applications: { carriedForward: forward }, rulesInForce, normativeInForce, items } };
}

function byOutcome(r: Rand, n: number): number[] {
  const out = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) out[pick(r, [0, 0, 0, 1, 2, 3])]++;
  return out;
}

interface Figures {
  /** （六）2. 逾期未缴纳信息处理费 总计 (2021 edition) */
  unpaidFees: number;
  receivedTotal: number;
  carriedTotal: number;
  reviewTotal: number;
  litigationTotal: number;
  normIssued: number;
}

/**
 * Narrative is composed clause by clause from independent fragment pools, so two townships (or two
 * years of one) rarely share long passages: real reports differ in wording, and the workspace's
 * 内容雷同 check should fire only where a county really copied.
 */
const OPENERS = ['本年度', '一年来', '今年以来', '全年', '工作中', '我们', '我镇', '本机关', '在日常工作中', '年内'];
const ACTIONS = ['坚持', '持续', '着力', '扎实', '认真', '进一步', '不断', '重点', '全面', '切实'];
const VERBS = ['推进', '加强', '规范', '做好', '深化', '完善', '落实', '优化', '强化', '拓展'];
const OBJECTS = {
  active: ['重点领域信息公开', '政策文件发布', '财政预决算公开', '惠民资金信息公示', '乡村振兴信息发布', '重大项目信息公开', '政策解读和回应关切', '安全生产信息发布', '就业创业信息推送', '防汛抗旱信息发布'],
  on_request: ['依申请公开受理', '答复文书规范', '申请登记台账', '办理时限管理', '补正告知', '征求第三方意见', '答复审核把关', '申请渠道畅通', '疑难申请会商', '送达回执归档'],
  management: ['公文公开属性认定', '信息发布审核', '规范性文件清理', '政府信息管理台账', '保密审查', '历史信息整理归档', '公开目录动态调整', '公开指南修订', '信息更新维护', '发布流程管理'],
  platforms: ['门户网站专栏建设', '政务新媒体管理', '公开栏和查阅点设置', '便民服务中心公开窗口', '栏目设置优化', '网站安全防护', '移动端信息推送', '村务公开栏更新', '网站内容保障', '信息检索功能'],
  oversight: ['考核评议机制', '责任追究制度', '业务培训', '社会监督渠道', '工作人员配备', '督查通报', '年度目标考核', '群众意见收集', '问题整改跟踪', '监督电话公开'],
  problems: ['公开内容的全面性', '栏目更新的及时性', '政策解读的针对性', '工作人员的业务能力', '依申请办理的规范化', '基层公开的覆盖面', '信息发布的准确性', '公开形式的多样性', '回应关切的主动性', '平台建设的集约化'],
} as const;
const PURPOSES = ['确保信息准确及时', '方便群众查阅', '提高公开质量', '保障群众知情权', '提升群众满意度', '推动工作落到实处', '增强公开实效', '做到应公开尽公开', '切实回应群众关切', '提升规范化水平'];
const NUMBERED = ['一是', '二是', '三是', '四是'];

function narrative(r: Rand, agency: string, year: number, edition: '2019' | '2021', f: Figures) {
  const clause = (topic: keyof typeof OBJECTS) => `${pick(r, OPENERS)}${pick(r, ACTIONS)}${pick(r, VERBS)}${pick(r, OBJECTS[topic])}，${pick(r, PURPOSES)}。`;
  const clauses = (topic: keyof typeof OBJECTS, n: number) => Array.from({ length: n }, () => clause(topic)).join('');
  const problems = NUMBERED.slice(0, int(r, 2, 4))
    .map((no) => `${no}${pick(r, OBJECTS.problems)}有待${pick(r, ['提升', '加强', '改进', '提高'])}`)
    .join('；');
  const measures = NUMBERED.slice(0, int(r, 2, 4))
    .map((no) => `${no}${pick(r, VERBS)}${pick(r, OBJECTS[pick(r, ['active', 'management', 'platforms', 'oversight'] as const)])}`)
    .join('；');
  return {
    overview: {
      active: `${year}年，${agency}${clauses('active', int(r, 2, 4))}全年主动公开政府信息${int(r, 80, 900)}条。`,
      on_request: `本年度共收到政府信息公开申请${f.receivedTotal}件，上年结转${f.carriedTotal}件。${clauses('on_request', int(r, 1, 3))}`,
      management: `${clauses('management', int(r, 2, 3))}本年度制发行政规范性文件${f.normIssued}件。`,
      platforms: clauses('platforms', int(r, 2, 3)),
      oversight: `${clauses('oversight', int(r, 2, 3))}本年度因政府信息公开被申请行政复议${f.reviewTotal}件，被提起行政诉讼${f.litigationTotal}件。`,
    },
    problems: `存在的主要问题：${problems}。改进措施：${measures}。`,
    other:
      edition === '2021'
        ? `${f.unpaidFees > 0 ? `本年度发出信息处理费收费通知${f.unpaidFees}件，申请人均逾期未缴纳，实际收取信息处理费0元。` : '本年度未收取信息处理费。'}${pick(r, OPENERS)}${agency}${pick(r, ['认真落实', '扎实推进', '全面完成'])}年度政务公开工作要点，无其他需要报告的事项。`
        : '无其他需要报告的事项。',
  };
}

/** The report as a clerk's YAML file: block mappings, each table row as a one-line flow sequence. */
export function reportYaml(report: Report): string {
  const doc = new Document(report);
  visit(doc, {
    Seq(_, node) {
      node.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

const TOWN_FIRST = '红青白金石龙凤兴安平新长永和清东西南北太鹤桃柳松梅莲云山河湖溪岭';
const TOWN_SECOND = '椿山桥口坪溪湾庄岗集堡塘林峰源田川沟坝寨岩';

/** `n` distinct township names, e.g. 红椿镇人民政府, deterministic per seed. */
export function townshipNames(n: number, seed = 1): string[] {
  const r = rng(seed);
  const names = new Set<string>();
  const suffix = ['镇', '乡', '街道办事处'];
  while (names.size < n) {
    const base = pick(r, [...TOWN_FIRST]) + pick(r, [...TOWN_SECOND]) + (r() < 0.3 ? pick(r, [...TOWN_SECOND]) : '');
    const kind = pick(r, suffix);
    names.add(kind === '街道办事处' ? `${base}街道办事处` : `${base}${kind}人民政府`);
  }
  return [...names];
}
