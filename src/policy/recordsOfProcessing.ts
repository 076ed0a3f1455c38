/**
 * The record of processing activities (GDPR Art. 30), derived from the policy document: who the
 * controller is and what role we play, and for each purpose its lawful basis, the categories of
 * data, of data subjects and of recipients, the processors with where they process and under
 * which transfer mechanism, how long each category is kept (in words, with the rule's source),
 * and the reference to the security measures.
 *
 * The policy holds what the organisation decided. The live sub-processor register (added and
 * removed sub-processors, their transfer mechanisms) and facts the document has no field for
 * (categories of data subjects, other recipients, the security-measures reference) are passed in
 * as plain {@link RecordsOfProcessingViews}, so this module depends on no projection.
 *
 * @module
 */
import { describePeriod } from '../time/period.js';
import type { ActivityKind, DataCategory, LawfulBasis, PolicyDocument, RetentionClockStart, Role } from './document.js';
import { retentionPeriodOf } from './document.js';

/** A sub-processor as the live register shows it (e.g. from the processor-register projection). */
export interface SubProcessorView {
  readonly subProcessorId: string;
  /** The company's name. */
  readonly name: string;
  /** Where it processes (country or region code). */
  readonly location: string;
  /** The transfer mechanism, e.g. `SCC 2021/914 module 3`. */
  readonly transferMechanism?: string;
  /** False once removed: a removed sub-processor is left out of the record. */
  readonly active: boolean;
  /** The purposes it serves, when the register records them. */
  readonly purposes?: readonly string[];
  /** The data categories it handles, when the register records them. */
  readonly dataCategories?: readonly string[];
}

/** What the record takes besides the policy; every field is optional. */
export interface RecordsOfProcessingViews {
  /** The live sub-processor register: overrides the policy's entries of the same id and adds new ones. */
  readonly subProcessors?: readonly SubProcessorView[];
  /** Categories of data subjects by purpose id (Art. 30(1)(c)): `{ service: ['customers'] }`. */
  readonly subjectCategories?: Readonly<Record<string, readonly string[]>>;
  /** Recipients other than processors by purpose id (Art. 30(1)(d)): `{ billing: ['tax authority'] }`. */
  readonly recipients?: Readonly<Record<string, readonly string[]>>;
  /** Where the technical and organisational security measures are described (Art. 30(1)(g)). */
  readonly securityMeasures?: string;
}

/** The controller's identity and contact details (Art. 30(1)(a)). */
export interface ControllerEntry {
  readonly name: string;
  readonly contact?: string;
  readonly dpo?: string;
  readonly establishment?: string;
}

/** How long a category is kept, in words. */
export interface RetentionEntry {
  readonly category: string;
  /** E.g. `365 calendar days after the last explicit submission, then erased`. */
  readonly text: string;
  /** The source of the rule (a contract clause, a statute), when the policy names one. */
  readonly basis?: string;
  /** The parameter the period comes from, when the policy leaves it to the host. */
  readonly parameter?: string;
}

/** A processor or sub-processor and what it handles. */
export interface ProcessorEntry {
  readonly id: string;
  readonly name: string;
  readonly location?: string;
  readonly transferMechanism?: string;
  /** The data categories it handles, sorted. */
  readonly categories: readonly string[];
  /** The purposes it serves, sorted. */
  readonly purposes: readonly string[];
}

/** A data category as the record lists it. */
export interface CategoryEntry {
  readonly id: string;
  readonly description?: string;
  /** Special-category data (GDPR Art. 9). */
  readonly special: boolean;
  readonly systems: readonly string[];
  readonly processors: readonly string[];
  readonly retention: RetentionEntry;
}

/** One purpose of processing (Art. 30(1)(b)-(f)). */
export interface PurposeEntry {
  readonly id: string;
  readonly description?: string;
  readonly lawfulBasis: LawfulBasis;
  /** The lawful basis in words with its article, e.g. `performance of a contract (GDPR Art. 6(1)(b))`. */
  readonly lawfulBasisText: string;
  /** Where the purpose is stated (a policy clause), when the policy names it. */
  readonly citation?: string;
  /** The categories of personal data, sorted. */
  readonly categories: readonly string[];
  /** Those of them that are special-category data (GDPR Art. 9), sorted. */
  readonly specialCategories: readonly string[];
  /**
   * The Art. 9(2) condition for them, where the policy implies one: explicit consent (Art. 9(2)(a))
   * when the purpose rests on consent; absent when there are none or the policy does not say.
   */
  readonly specialCategoryCondition?: string;
  /** The categories of data subjects, as given in the views (the policy has no field for them). */
  readonly subjectCategories: readonly string[];
  /** Recipients other than processors, as given in the views. */
  readonly recipients: readonly string[];
  /** Ids of the processors that serve the purpose, sorted; details in {@link RecordsOfProcessing.processors}. */
  readonly processors: readonly string[];
  /** The retention of each category, sorted by category. */
  readonly retention: readonly RetentionEntry[];
}

/** The record of processing activities derived from a policy. */
export interface RecordsOfProcessing {
  readonly policy: { readonly name?: string; readonly version: string; readonly effectiveFrom: string };
  readonly controller: ControllerEntry;
  readonly role: Role;
  readonly purposes: readonly PurposeEntry[];
  readonly categories: readonly CategoryEntry[];
  readonly processors: readonly ProcessorEntry[];
  readonly securityMeasures?: string;
}

const lawfulBases: Readonly<Record<LawfulBasis, string>> = {
  consent: 'consent (GDPR Art. 6(1)(a))',
  contract: 'performance of a contract (GDPR Art. 6(1)(b))',
  legalObligation: 'compliance with a legal obligation (GDPR Art. 6(1)(c))',
  vitalInterest: 'vital interests (GDPR Art. 6(1)(d))',
  publicTask: 'a task in the public interest or in the exercise of official authority (GDPR Art. 6(1)(e))',
  legitimateInterest: 'legitimate interests (GDPR Art. 6(1)(f))',
};

const activities: Readonly<Record<ActivityKind, string>> = {
  explicitSubmission: 'explicit submission',
  login: 'login',
  purchase: 'purchase',
  subscriptionRenewal: 'subscription renewal',
  supportContact: 'support contact',
  apiUse: 'API use',
  pageView: 'page view',
  tracking: 'tracking event',
  passiveActivity: 'passive activity',
};

const orList = (xs: readonly string[]): string =>
  xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1] ?? ''}`;

const startWords = (start: RetentionClockStart, resetBy: readonly ActivityKind[]): string => {
  switch (start) {
    case 'collection':
      return 'after collection';
    case 'lastActivity':
      return resetBy.length === 0 ? 'after the last activity' : `after the last ${orList(resetBy.map((k) => activities[k]))}`;
    case 'contractEnd':
      return 'after the contract ends';
    case 'subscriptionCancelled':
      return 'after the subscription is cancelled';
    case 'consentWithdrawal':
      return 'after consent is withdrawn';
    case 'purposeFulfilled':
      return 'after the purpose is fulfilled';
  }
};

const expiryWords = { erase: 'then erased', anonymise: 'then anonymised', review: 'then reviewed' } as const;

/** Returns the retention of `category` in words, with the rule's source and the parameter it depends on. */
export const describeRetention = (policy: PolicyDocument, category: DataCategory): RetentionEntry => {
  const r = category.retention;
  const parameter = 'parameter' in r.period ? r.period.parameter : undefined;
  const period = retentionPeriodOf(policy, category);
  const length = period === undefined ? `the period set by parameter "${parameter ?? ''}" (not set)` : describePeriod(period);
  const start = startWords(r.clockStart, r.resetBy ?? []);
  const grace =
    r.gracePeriod === undefined ? '' : `; a reactivation within ${describePeriod(r.gracePeriod)} ${start} cancels the erasure`;
  const fromParameter = parameter !== undefined && period !== undefined ? ` (period set by parameter "${parameter}")` : '';
  return {
    category: category.id,
    text: `${r.upTo === true ? 'up to ' : ''}${length} ${start}, ${expiryWords[r.onExpiry]}${fromParameter}${grace}`,
    ...(r.citation === undefined ? {} : { basis: r.citation }),
    ...(parameter === undefined ? {} : { parameter }),
  };
};

const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();
const byId = <A extends { readonly id: string }>(a: A, b: A): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

interface ProcessorDraft {
  readonly id: string;
  name: string;
  location?: string;
  transferMechanism?: string;
  readonly categories: Set<string>;
  readonly purposes: Set<string>;
}

/**
 * Returns the record of processing activities of `policy` (a validated document), completed by
 * `views`: the live sub-processor register (a removed sub-processor is left out, one added
 * after the policy is listed with what the register says of it), categories of data subjects,
 * other recipients and the security-measures reference. Every list is sorted, so the same inputs
 * give the same record. Never fails: what neither input states is left empty.
 */
export const recordsOfProcessing = (policy: PolicyDocument, views: RecordsOfProcessingViews = {}): RecordsOfProcessing => {
  const categoryById = new Map(policy.categories.map((c) => [c.id, c] as const));

  // Processors: the policy's register, then the live register over it.
  const drafts = new Map<string, ProcessorDraft>();
  const draft = (id: string, name: string): ProcessorDraft => {
    const existing = drafts.get(id);
    if (existing !== undefined) return existing;
    const created: ProcessorDraft = { id, name, categories: new Set(), purposes: new Set() };
    drafts.set(id, created);
    return created;
  };
  const declaredPurpose = new Map<string, string>();
  for (const sp of policy.processors?.subProcessors ?? []) {
    const d = draft(sp.id, sp.name);
    if (sp.location !== undefined) d.location = sp.location;
    for (const c of sp.categories ?? []) d.categories.add(c);
    if (sp.purpose !== undefined) declaredPurpose.set(sp.id, sp.purpose);
  }
  const removed = new Set<string>();
  const registerPurposes = new Map<string, readonly string[]>();
  for (const view of views.subProcessors ?? []) {
    if (!view.active) {
      removed.add(view.subProcessorId);
      continue;
    }
    removed.delete(view.subProcessorId);
    const d = draft(view.subProcessorId, view.name);
    d.name = view.name;
    d.location = view.location;
    if (view.transferMechanism !== undefined) d.transferMechanism = view.transferMechanism;
    for (const c of view.dataCategories ?? []) d.categories.add(c);
    if (view.purposes !== undefined) registerPurposes.set(view.subProcessorId, view.purposes);
  }
  for (const category of policy.categories) {
    for (const p of category.processors ?? []) drafts.get(p)?.categories.add(category.id);
  }
  for (const id of removed) drafts.delete(id);

  const purposes: PurposeEntry[] = [...policy.purposes].sort(byId).map((purpose) => {
    const categories = sorted(purpose.categories);
    const special = categories.filter((c) => categoryById.get(c)?.sensitive === true);
    for (const d of drafts.values()) {
      const serves =
        categories.some((c) => d.categories.has(c)) ||
        declaredPurpose.get(d.id) === purpose.id ||
        (registerPurposes.get(d.id) ?? []).includes(purpose.id);
      if (serves) d.purposes.add(purpose.id);
    }
    return {
      id: purpose.id,
      ...(purpose.description === undefined ? {} : { description: purpose.description }),
      lawfulBasis: purpose.lawfulBasis,
      lawfulBasisText: lawfulBases[purpose.lawfulBasis],
      ...(purpose.citation === undefined ? {} : { citation: purpose.citation }),
      categories,
      specialCategories: special,
      ...(special.length > 0 && purpose.lawfulBasis === 'consent' ? { specialCategoryCondition: 'explicit consent (GDPR Art. 9(2)(a))' } : {}),
      subjectCategories: sorted(views.subjectCategories?.[purpose.id] ?? []),
      recipients: sorted(views.recipients?.[purpose.id] ?? []),
      processors: [],
      retention: categories.flatMap((c) => {
        const category = categoryById.get(c);
        return category === undefined ? [] : [describeRetention(policy, category)];
      }),
    };
  });

  const processors: ProcessorEntry[] = [...drafts.values()]
    .map((d) => ({
      id: d.id,
      name: d.name,
      ...(d.location === undefined ? {} : { location: d.location }),
      ...(d.transferMechanism === undefined ? {} : { transferMechanism: d.transferMechanism }),
      categories: sorted(d.categories),
      purposes: sorted(d.purposes),
    }))
    .sort(byId);

  const categories: CategoryEntry[] = [...policy.categories].sort(byId).map((c) => ({
    id: c.id,
    ...(c.description === undefined ? {} : { description: c.description }),
    special: c.sensitive === true,
    systems: sorted(c.systems),
    processors: processors.filter((p) => p.categories.includes(c.id)).map((p) => p.id),
    retention: describeRetention(policy, c),
  }));

  const { name, contact, dpo, establishment } = policy.controller;
  return {
    policy: { ...(policy.name === undefined ? {} : { name: policy.name }), version: policy.version, effectiveFrom: policy.effectiveFrom },
    controller: {
      name,
      ...(contact === undefined ? {} : { contact }),
      ...(dpo === undefined ? {} : { dpo }),
      ...(establishment === undefined ? {} : { establishment }),
    },
    role: policy.role,
    purposes: purposes.map((p) => ({ ...p, processors: processors.filter((x) => x.purposes.includes(p.id)).map((x) => x.id) })),
    categories,
    processors,
    ...(views.securityMeasures === undefined ? {} : { securityMeasures: views.securityMeasures }),
  };
};

const roles: Readonly<Record<Role, string>> = { controller: 'controller', processor: 'processor', both: 'controller and processor' };

const listOr = (xs: readonly string[], none: string): string => (xs.length === 0 ? none : xs.join(', '));

const processorLine = (p: ProcessorEntry): string =>
  `${p.id} (${p.name}): location ${p.location ?? 'not stated'}; transfer mechanism: ${p.transferMechanism ?? 'not stated'}`;

const retentionLine = (r: RetentionEntry): string => `${r.category}: ${r.text}${r.basis === undefined ? '' : `; basis: ${r.basis}`}`;

/**
 * Returns the record as readable text, one section per purpose (sorted by id), then the data
 * categories and the processors; the same record always gives the same text. Never fails.
 */
export const formatRecordsOfProcessing = (record: RecordsOfProcessing): string => {
  const lines: string[] = [];
  const { policy, controller } = record;
  lines.push('Record of processing activities (GDPR Art. 30)');
  lines.push(`Policy: ${policy.name === undefined ? '' : `${policy.name}, `}version ${policy.version}, in force from ${policy.effectiveFrom}`);
  lines.push(`Controller: ${controller.name}`);
  if (controller.contact !== undefined) lines.push(`  Contact: ${controller.contact}`);
  if (controller.dpo !== undefined) lines.push(`  Data protection officer: ${controller.dpo}`);
  if (controller.establishment !== undefined) lines.push(`  Establishment: ${controller.establishment}`);
  lines.push(`Our role: ${roles[record.role]}`);
  lines.push(`Security measures: ${record.securityMeasures ?? 'not stated'}`);
  const processorsById = new Map(record.processors.map((p) => [p.id, p] as const));
  for (const p of record.purposes) {
    lines.push('');
    lines.push(`Purpose: ${p.id}${p.description === undefined ? '' : ` (${p.description})`}`);
    lines.push(`  Lawful basis: ${p.lawfulBasisText}${p.citation === undefined ? '' : `; stated in ${p.citation}`}`);
    lines.push(`  Categories of personal data: ${listOr(p.categories, 'none')}`);
    if (p.specialCategories.length > 0) {
      const condition = p.specialCategoryCondition === undefined ? '' : `, under ${p.specialCategoryCondition}`;
      lines.push(`  Special categories (GDPR Art. 9): ${p.specialCategories.join(', ')}${condition}`);
    }
    lines.push(`  Categories of data subjects: ${listOr(p.subjectCategories, 'not stated')}`);
    lines.push(`  Recipients other than processors: ${listOr(p.recipients, 'none stated')}`);
    if (p.processors.length === 0) lines.push('  Processors: none');
    else {
      lines.push('  Processors:');
      for (const id of p.processors) {
        const processor = processorsById.get(id);
        if (processor !== undefined) lines.push(`    - ${processorLine(processor)}`);
      }
    }
    lines.push('  Retention:');
    for (const r of p.retention) lines.push(`    - ${retentionLine(r)}`);
  }
  lines.push('');
  lines.push('Data categories:');
  for (const c of record.categories) {
    const facts = [
      c.description,
      c.special ? 'special category (GDPR Art. 9)' : undefined,
      `systems ${listOr(c.systems, 'none')}`,
      `processors ${listOr(c.processors, 'none')}`,
    ].filter((x): x is string => x !== undefined);
    lines.push(`  - ${c.id}: ${facts.join('; ')}`);
    lines.push(`    Retention: ${c.retention.text}${c.retention.basis === undefined ? '' : `; basis: ${c.retention.basis}`}`);
  }
  lines.push('');
  lines.push('Processors and sub-processors:');
  if (record.processors.length === 0) lines.push('  none');
  for (const p of record.processors) {
    lines.push(`  - ${processorLine(p)}; categories ${listOr(p.categories, 'none')}; purposes ${listOr(p.purposes, 'none')}`);
  }
  return `${lines.join('\n')}\n`;
};
