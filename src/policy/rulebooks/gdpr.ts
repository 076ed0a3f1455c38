/**
 * The EU GDPR rulebook (Regulation (EU) 2016/679), and the breach and erasure rules the UK GDPR
 * shares word for word. Facts and sources: `reference/regulatory-deadlines.md`.
 *
 * Counting: day and month periods follow EU Regulation 1182/71 by analogy (the day of receipt is
 * not counted; a month ends on the same-numbered day or the month's last day: 31 January → end of
 * 28 February, 29 in leap years). No roll-forward to a working day: 1182/71 Art. 3(4) would allow
 * one, but the GDPR is not a Council or Commission act and the EDPB has stated no view, so the
 * rulebook keeps the earlier due time. Hour periods are elapsed time through weekends.
 *
 * @module
 */
import { gdprErasureExceptions } from './erasureReasons.js';
import { DEFAULT_HOST_TARGETS } from './defaults.js';
import { hours, months, type DeadlineRule, type Exemption, type Rulebook } from '../rule.js';

const REQUEST_KINDS = ['access', 'rectification', 'erasure', 'restriction', 'portability', 'objection'] as const;

/**
 * The breach and erasure rules of the GDPR, with ids and citations under `prefix` and `law`
 * (`'gdpr'`/`'GDPR'` or `'uk-gdpr'`/`'UK GDPR'`): the texts of Arts. 17, 33 and 34 are the same
 * in both.
 */
export const gdprBreachAndErasureRules = (prefix: string, law: string): readonly DeadlineRule[] => {
  const erasureExemptions: Exemption[] = Object.entries(gdprErasureExceptions).map(([id, entry]) => ({
    id,
    description: entry.description,
    citation: `${law} ${entry.citation.replace(/^GDPR /, '')}`,
  }));
  return [
    {
      id: `${prefix}.art33.1.notifyAuthority`,
      title: 'Notify the supervisory authority of a personal data breach',
      citation: `${law} Art. 33(1)`,
      trigger: 'BreachAwarenessEstablished',
      clockStart: 'awareness',
      action: 'NotifySupervisoryAuthority',
      period: hours(72),
      target: {
        kind: 'withoutUndueDelay',
        hostTarget: DEFAULT_HOST_TARGETS.supervisoryAuthority,
        legalOuterLimit: hours(72),
        wording: 'without undue delay and, where feasible, not later than 72 hours after having become aware of it',
      },
      exemptions: [
        {
          id: 'unlikelyToResultInRisk',
          description: 'the breach is unlikely to result in a risk to the rights and freedoms of natural persons',
          citation: `${law} Art. 33(1)`,
        },
      ],
      satisfiedBy: ['AuthorityNotified'],
      onMissed: {
        event: 'ObligationOverdue',
        reasonsRequired: true,
        citation: `${law} Art. 33(1): a notification made after 72 hours is accompanied by reasons for the delay`,
      },
      notes:
        'The first notice satisfies the deadline; information may follow in phases (Art. 33(4)). 72 hours are elapsed time through nights, weekends and holidays. "Aware" means a reasonable degree of certainty that personal data were compromised (WP29/EDPB guidance; secondary source only).',
    },
    {
      id: `${prefix}.art33.4.furtherInformation`,
      title: 'Provide the information not yet given to the authority, in phases',
      citation: `${law} Art. 33(4)`,
      trigger: 'AuthorityNotified',
      clockStart: 'authorityNotification',
      action: 'NotifySupervisoryAuthority',
      target: {
        kind: 'withoutUndueDelay',
        hostTarget: DEFAULT_HOST_TARGETS.furtherInformation,
        wording: 'without undue further delay',
      },
      condition: { description: 'only where not all the information of Art. 33(3) could be provided at the same time' },
      satisfiedBy: ['AuthorityNotified'],
      onMissed: { event: 'ObligationOverdue' },
      notes: 'The law gives no number; the host target is Lethe\'s default.',
    },
    {
      id: `${prefix}.art33.2.notifyController`,
      title: 'Processor: notify the controller of a personal data breach',
      citation: `${law} Art. 33(2)`,
      trigger: 'BreachAwarenessEstablished',
      clockStart: 'awareness',
      action: 'NotifyController',
      target: {
        kind: 'withoutUndueDelay',
        hostTarget: DEFAULT_HOST_TARGETS.processorToController,
        wording: 'without undue delay after becoming aware of a personal data breach',
      },
      satisfiedBy: ['ControllerNotified'],
      onMissed: { event: 'ObligationOverdue' },
      notes: 'The law gives no number (the host target is Lethe\'s default); contracts often set one (e.g. 24 or 72 hours).',
    },
    {
      id: `${prefix}.art34.1.notifySubjects`,
      title: 'Communicate a high-risk personal data breach to the data subjects',
      citation: `${law} Art. 34(1)`,
      trigger: 'BreachAwarenessEstablished',
      clockStart: 'awareness',
      action: 'NotifyDataSubjects',
      condition: {
        risk: 'highRisk',
        description: 'the breach is likely to result in a high risk to the rights and freedoms of natural persons',
      },
      target: { kind: 'withoutUndueDelay', hostTarget: DEFAULT_HOST_TARGETS.dataSubjects, wording: 'without undue delay' },
      exemptions: [
        {
          id: 'dataUnintelligible',
          description:
            'appropriate protection measures (such as encryption) render the data unintelligible to anyone not authorised to access it',
          citation: `${law} Art. 34(3)(a)`,
        },
        {
          id: 'highRiskNoLongerLikely',
          description: 'subsequent measures ensure that the high risk is no longer likely to materialise',
          citation: `${law} Art. 34(3)(b)`,
        },
        {
          id: 'disproportionateEffort',
          description: 'individual communication would involve disproportionate effort',
          citation: `${law} Art. 34(3)(c)`,
          insteadRequires: 'PublicCommunication',
        },
      ],
      satisfiedBy: ['SubjectsNotified'],
      onMissed: { event: 'ObligationOverdue' },
      notes:
        'Clear and plain language, with the information of Art. 33(3)(b)-(d) (Art. 34(2)). The authority may require the communication or confirm an exemption (Art. 34(4)). No legal number: the host target is Lethe\'s default.',
    },
    {
      id: `${prefix}.art33.5.documentBreach`,
      title: 'Document every personal data breach',
      citation: `${law} Art. 33(5)`,
      trigger: 'BreachAwarenessEstablished',
      clockStart: 'awareness',
      action: 'RecordBreach',
      satisfiedBy: ['BreachRecorded'],
      onMissed: { event: 'ObligationOverdue' },
      notes:
        'A record obligation with no deadline: the facts, effects and remedial action of every breach, notified or not. The breach stream is that record.',
    },
    {
      id: `${prefix}.art17.1.erase`,
      title: 'Erase personal data when an erasure ground applies',
      citation: `${law} Art. 17(1)`,
      trigger: 'ErasureGroundEstablished',
      clockStart: 'groundEstablished',
      action: 'EraseSubjectData',
      target: { kind: 'withoutUndueDelay', hostTarget: DEFAULT_HOST_TARGETS.erasure, wording: 'without undue delay' },
      exemptions: erasureExemptions,
      satisfiedBy: ['SubjectErased'],
      onMissed: { event: 'ObligationOverdue' },
      notes:
        'Grounds: Art. 17(1)(a)-(f) (see gdprErasureGrounds). When the erasure is asked for in a request, the request rule (Art. 12(3)) gives the outer limit of one month.',
    },
  ];
};

/** The GDPR request rules: Art. 12(3) (answer within one month, extensible by two) and 12(4). */
const requestRules: readonly DeadlineRule[] = [
  {
    id: 'gdpr.art12.3.respond',
    title: 'Act on a data-subject request (Arts. 15-22)',
    citation: 'GDPR Art. 12(3)',
    trigger: 'RequestReceived',
    clockStart: 'receipt',
    action: 'RespondToRequest',
    requestKinds: REQUEST_KINDS,
    period: months(1),
    counting: { convention: 'eu-1182-71', rollForward: false },
    extension: {
      period: months(2),
      noticeWithin: months(1),
      measuredFrom: 'clockStart',
      reasonsRequired: true,
      condition: 'where necessary, taking into account the complexity and number of the requests',
      citation:
        'GDPR Art. 12(3); the total is counted as three months from receipt, as the ICO counts it ("a maximum of three calendar months, starting from the day of receipt")',
    },
    satisfiedBy: ['RequestFulfilled', 'RequestRefused'],
    onMissed: { event: 'ObligationOverdue' },
    notes:
      '"Without undue delay and in any event within one month of receipt of the request". The extension notice, with the reasons for the delay, must reach the data subject within the first month.',
  },
  {
    id: 'gdpr.art12.4.refuse',
    title: 'Inform the data subject of a refusal, with reasons and the right to complain',
    citation: 'GDPR Art. 12(4)',
    trigger: 'RequestReceived',
    clockStart: 'receipt',
    action: 'RefuseRequest',
    requestKinds: REQUEST_KINDS,
    period: months(1),
    counting: { convention: 'eu-1182-71', rollForward: false },
    satisfiedBy: ['RequestRefused'],
    onMissed: { event: 'ObligationOverdue' },
    notes:
      'Applies when the controller does not act on the request: the reasons, and the possibility of lodging a complaint and seeking a judicial remedy, are due within one month of receipt.',
  },
];

/** The EU GDPR rulebook (id `'gdpr'`). */
export const gdpr: Rulebook = {
  id: 'gdpr',
  name: 'EU General Data Protection Regulation',
  jurisdiction: 'European Union / EEA',
  rules: [...requestRules, ...gdprBreachAndErasureRules('gdpr', 'GDPR')],
  notes:
    'Month periods are counted under EU Regulation 1182/71 by analogy, without roll-forward to a working day (the earlier reading). Erasure grounds, exceptions and restriction grounds are in gdprErasureGrounds, gdprErasureExceptions and gdprRestrictionGrounds.',
};
