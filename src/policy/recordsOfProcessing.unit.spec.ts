import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decodePolicy } from './document.js';
import { decodedGoodDocument, goodDocument } from './recordsOfProcessing.fixture.js';
import { describeRetention, formatRecordsOfProcessing, recordsOfProcessing } from './recordsOfProcessing.js';

const account = {
  category: 'account',
  text: 'up to 90 calendar days after the subscription is cancelled, then erased; a reactivation within 90 calendar days after the subscription is cancelled cancels the erasure',
  basis: 'PZ-13',
};
const widget = { category: 'widget-submissions', text: '365 calendar days after the last explicit submission, then erased', basis: 'CF-22' };
const logs = {
  category: 'server-logs',
  text: '30 calendar days after collection, then erased (period set by parameter "logRetention")',
  basis: 'IS-01',
  parameter: 'logRetention',
};
const health = { category: 'health-notes', text: '1 year after consent is withdrawn, then erased' };

describe('recordsOfProcessing', () => {
  it('derives the Art. 30 register from the policy alone', () => {
    expect(recordsOfProcessing(decodedGoodDocument())).toEqual({
      policy: { name: 'Personizely privacy policy and DPA', version: '2026.1', effectiveFrom: '2026-01-01T00:00:00Z' },
      controller: { name: 'Personizely', contact: 'privacy@example.com', dpo: 'dpo@example.com' },
      role: 'both',
      purposes: [
        {
          id: 'security',
          lawfulBasis: 'legitimateInterest',
          lawfulBasisText: 'legitimate interests (GDPR Art. 6(1)(f))',
          citation: 'IS-02',
          categories: ['server-logs'],
          specialCategories: [],
          subjectCategories: [],
          recipients: [],
          processors: [],
          retention: [logs],
        },
        {
          id: 'service',
          lawfulBasis: 'contract',
          lawfulBasisText: 'performance of a contract (GDPR Art. 6(1)(b))',
          categories: ['account', 'widget-submissions'],
          specialCategories: [],
          subjectCategories: [],
          recipients: [],
          processors: ['aws'],
          retention: [account, widget],
        },
        {
          id: 'wellbeing',
          lawfulBasis: 'consent',
          lawfulBasisText: 'consent (GDPR Art. 6(1)(a))',
          categories: ['health-notes'],
          specialCategories: ['health-notes'],
          specialCategoryCondition: 'explicit consent (GDPR Art. 9(2)(a))',
          subjectCategories: [],
          recipients: [],
          processors: [],
          retention: [health],
        },
      ],
      categories: [
        { id: 'account', description: 'Client account and subscription data', special: false, systems: ['app-db', 'backups'], processors: ['aws'], retention: account },
        { id: 'health-notes', special: true, systems: ['app-db'], processors: [], retention: health },
        { id: 'server-logs', special: false, systems: ['web'], processors: [], retention: logs },
        { id: 'widget-submissions', special: false, systems: ['app-db'], processors: ['aws'], retention: widget },
      ],
      processors: [
        { id: 'aws', name: 'Amazon Web Services', location: 'EU', categories: ['account', 'widget-submissions'], purposes: ['service'] },
        { id: 'intercom', name: 'Intercom', location: 'IE', categories: [], purposes: [] },
      ],
    });
  });

  it('takes the live sub-processor register over the policy: removed ones go, new ones come with their transfer mechanism', () => {
    const record = recordsOfProcessing(decodedGoodDocument(), {
      subProcessors: [
        { subProcessorId: 'aws', name: 'Amazon Web Services EMEA SARL', location: 'DE', transferMechanism: 'none needed (EEA)', active: true },
        { subProcessorId: 'intercom', name: 'Intercom', location: 'IE', active: false },
        { subProcessorId: 'mailgun', name: 'Mailgun Technologies', location: 'US', transferMechanism: 'SCC 2021/914 module 3', active: true, purposes: ['security'] },
        { subProcessorId: 'retired', name: 'Retired Ltd', location: 'UK', active: false, dataCategories: ['account'] },
      ],
      subjectCategories: { service: ['customers', 'website visitors'] },
      recipients: { security: ['incident response firm'] },
      securityMeasures: 'ISMS policy v4, section 3',
    });
    expect(record.processors).toEqual([
      {
        id: 'aws',
        name: 'Amazon Web Services EMEA SARL',
        location: 'DE',
        transferMechanism: 'none needed (EEA)',
        categories: ['account', 'widget-submissions'],
        purposes: ['service'],
      },
      { id: 'mailgun', name: 'Mailgun Technologies', location: 'US', transferMechanism: 'SCC 2021/914 module 3', categories: [], purposes: ['security'] },
    ]);
    expect(record.purposes.map((p) => [p.id, p.processors, p.subjectCategories, p.recipients])).toEqual([
      ['security', ['mailgun'], [], ['incident response firm']],
      ['service', ['aws'], ['customers', 'website visitors'], []],
      ['wellbeing', [], [], []],
    ]);
    expect(record.securityMeasures).toBe('ISMS policy v4, section 3');
  });

  it('describes retention in words for every clock start, with upper bounds and unset parameters', () => {
    const doc = decodedGoodDocument();
    const category = (retention: object) => ({ id: 'c', systems: ['db'], retention: { onExpiry: 'erase', ...retention } });
    const decode = (retention: object, parameters?: object) => {
      const input = { ...goodDocument(), categories: [category(retention)], purposes: [], processors: { subProcessors: [] }, ...(parameters === undefined ? {} : { parameters }) };
      const decoded = decodePolicy(input);
      if (E.isLeft(decoded)) throw new Error(JSON.stringify(decoded.left.problems));
      return describeRetention(decoded.right, decoded.right.categories[0] as (typeof doc.categories)[number]).text;
    };
    expect(decode({ period: 'P6M', clockStart: 'contractEnd', onExpiry: 'anonymise' })).toBe('6 calendar months after the contract ends, then anonymised');
    expect(decode({ period: 'P10BD', clockStart: 'purposeFulfilled', onExpiry: 'review' })).toBe('10 business days after the purpose is fulfilled, then reviewed');
    expect(decode({ period: 'P2Y', clockStart: 'lastActivity', resetBy: ['login', 'purchase', 'apiUse'], upTo: true })).toBe(
      'up to 2 years after the last login, purchase or API use, then erased',
    );
    expect(
      decode(
        { period: { parameter: 'keep' }, clockStart: 'collection' },
        { ...goodDocument().parameters, keep: { description: 'set by the host', kind: 'period', required: false } },
      ),
    ).toBe('the period set by parameter "keep" (not set) after collection, then erased');
  });

  it('formats the record as stable, readable text', () => {
    const record = recordsOfProcessing(decodedGoodDocument(), { securityMeasures: 'ISMS policy v4' });
    const text = formatRecordsOfProcessing(record);
    expect(text).toBe(`Record of processing activities (GDPR Art. 30)
Policy: Personizely privacy policy and DPA, version 2026.1, in force from 2026-01-01T00:00:00Z
Controller: Personizely
  Contact: privacy@example.com
  Data protection officer: dpo@example.com
Our role: controller and processor
Security measures: ISMS policy v4

Purpose: security
  Lawful basis: legitimate interests (GDPR Art. 6(1)(f)); stated in IS-02
  Categories of personal data: server-logs
  Categories of data subjects: not stated
  Recipients other than processors: none stated
  Processors: none
  Retention:
    - server-logs: 30 calendar days after collection, then erased (period set by parameter "logRetention"); basis: IS-01

Purpose: service
  Lawful basis: performance of a contract (GDPR Art. 6(1)(b))
  Categories of personal data: account, widget-submissions
  Categories of data subjects: not stated
  Recipients other than processors: none stated
  Processors:
    - aws (Amazon Web Services): location EU; transfer mechanism: not stated
  Retention:
    - account: up to 90 calendar days after the subscription is cancelled, then erased; a reactivation within 90 calendar days after the subscription is cancelled cancels the erasure; basis: PZ-13
    - widget-submissions: 365 calendar days after the last explicit submission, then erased; basis: CF-22

Purpose: wellbeing
  Lawful basis: consent (GDPR Art. 6(1)(a))
  Categories of personal data: health-notes
  Special categories (GDPR Art. 9): health-notes, under explicit consent (GDPR Art. 9(2)(a))
  Categories of data subjects: not stated
  Recipients other than processors: none stated
  Processors: none
  Retention:
    - health-notes: 1 year after consent is withdrawn, then erased

Data categories:
  - account: Client account and subscription data; systems app-db, backups; processors aws
    Retention: up to 90 calendar days after the subscription is cancelled, then erased; a reactivation within 90 calendar days after the subscription is cancelled cancels the erasure; basis: PZ-13
  - health-notes: special category (GDPR Art. 9); systems app-db; processors none
    Retention: 1 year after consent is withdrawn, then erased
  - server-logs: systems web; processors none
    Retention: 30 calendar days after collection, then erased (period set by parameter "logRetention"); basis: IS-01
  - widget-submissions: systems app-db; processors aws
    Retention: 365 calendar days after the last explicit submission, then erased; basis: CF-22

Processors and sub-processors:
  - aws (Amazon Web Services): location EU; transfer mechanism: not stated; categories account, widget-submissions; purposes service
  - intercom (Intercom): location IE; transfer mechanism: not stated; categories none; purposes none
`);
  });

  it('gives the same record whatever the order of the policy lists', () => {
    const shuffled = goodDocument();
    const decoded = decodePolicy({
      ...shuffled,
      categories: [...shuffled.categories].reverse(),
      purposes: [...shuffled.purposes].reverse(),
      processors: { ...shuffled.processors, subProcessors: [...shuffled.processors.subProcessors].reverse() },
    });
    if (E.isLeft(decoded)) throw new Error('shuffled document should validate');
    expect(formatRecordsOfProcessing(recordsOfProcessing(decoded.right))).toBe(formatRecordsOfProcessing(recordsOfProcessing(decodedGoodDocument())));
  });
});
