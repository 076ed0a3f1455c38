/**
 * The Brazilian LGPD rulebook (Lei 13.709/2018) with the breach rules of ANPD Resolution
 * CD/ANPD 15/2024. Business days (dias úteis) are those of the calendar the policy names: give it
 * the Brazilian national holidays in America/Sao_Paulo.
 *
 * @module
 */
import { DEFAULT_HOST_TARGETS } from './defaults.js';
import { businessDays, calendarDays, type DeadlineRule, type Rulebook } from '../rule.js';

const ANPD = 'ANPD Res. CD/ANPD 15/2024 (secondary sources only; primary gov.br text not found)';

const smallAgent = (amount: number): DeadlineRule['variants'] => [
  {
    id: 'smallProcessingAgent',
    description: 'small processing agents (agentes de tratamento de pequeno porte): the period is doubled',
    citation: ANPD,
    period: businessDays(amount),
  },
];

const rules: readonly DeadlineRule[] = [
  {
    id: 'lgpd.art19.I.simplified',
    title: 'Confirm existence of processing or give access in simplified format',
    citation: 'LGPD Art. 19, I (English translation)',
    trigger: 'RequestReceived',
    clockStart: 'receipt',
    action: 'RespondToRequest',
    requestKinds: ['access'],
    target: { kind: 'withoutUndueDelay', hostTarget: DEFAULT_HOST_TARGETS.immediate, wording: 'immediately' },
    satisfiedBy: ['RequestFulfilled'],
    onMissed: { event: 'ObligationOverdue' },
    notes: 'The law says "immediately"; the host target is Lethe\'s default.',
  },
  {
    id: 'lgpd.art19.II.full',
    title: 'Give the complete declaration (origin, records, criteria, purpose)',
    citation: 'LGPD Art. 19, II (English translation)',
    trigger: 'RequestReceived',
    clockStart: 'receipt',
    action: 'RespondToRequest',
    requestKinds: ['access'],
    period: calendarDays(15),
    satisfiedBy: ['RequestFulfilled'],
    onMissed: { event: 'ObligationOverdue' },
    notes:
      '"Counted from the date of the holder\'s application". Art. 19 §4: the ANPD may set different deadlines for specific sectors.',
  },
  {
    id: 'lgpd.anpd15.notifyAnpd',
    title: 'Communicate a security incident to the ANPD',
    citation: `LGPD Art. 48; ${ANPD}`,
    trigger: 'BreachAwarenessEstablished',
    clockStart: 'awareness',
    action: 'NotifySupervisoryAuthority',
    period: businessDays(3),
    variants: smallAgent(6),
    satisfiedBy: ['AuthorityNotified'],
    onMissed: { event: 'ObligationOverdue', reasonsRequired: true, citation: `${ANPD}: any delay must be justified` },
    secondarySourceOnly: true,
    notes: 'The clock starts when the controller knows that the incident affected personal data.',
  },
  {
    id: 'lgpd.anpd15.notifySubjects',
    title: 'Communicate a security incident to the data subjects',
    citation: `LGPD Art. 48; ${ANPD}`,
    trigger: 'BreachAwarenessEstablished',
    clockStart: 'awareness',
    action: 'NotifyDataSubjects',
    period: businessDays(3),
    variants: smallAgent(6),
    exemptions: [
      {
        id: 'individualNoticeImpossible',
        description: 'individual notice is impossible: a public notice is kept for at least 90 days instead',
        citation: ANPD,
        insteadRequires: 'PublicCommunication',
      },
    ],
    satisfiedBy: ['SubjectsNotified'],
    onMissed: { event: 'ObligationOverdue', reasonsRequired: true, citation: `${ANPD}: any delay must be justified` },
    secondarySourceOnly: true,
  },
  {
    id: 'lgpd.anpd15.supplementary',
    title: 'Supplement the communication to the ANPD',
    citation: ANPD,
    trigger: 'BreachAwarenessEstablished',
    clockStart: 'awareness',
    action: 'NotifySupervisoryAuthority',
    period: businessDays(20),
    variants: smallAgent(40),
    satisfiedBy: ['AuthorityNotified'],
    onMissed: { event: 'ObligationOverdue' },
    secondarySourceOnly: true,
    notes:
      'Counted here from knowledge of the incident, the earlier of the possible starting points: the stored sources do not say whether the 20 business days run from knowledge or from the first communication.',
  },
  {
    id: 'lgpd.anpd15.recordIncident',
    title: 'Keep a record of every security incident for at least five years',
    citation: ANPD,
    trigger: 'BreachAwarenessEstablished',
    clockStart: 'awareness',
    action: 'RecordBreach',
    satisfiedBy: ['BreachRecorded'],
    onMissed: { event: 'ObligationOverdue' },
    secondarySourceOnly: true,
    notes: 'A record obligation with no deadline; the record is kept for at least five years.',
  },
];

/** The LGPD rulebook (id `'lgpd'`). */
export const lgpd: Rulebook = {
  id: 'lgpd',
  name: 'Lei Geral de Proteção de Dados (Lei 13.709/2018) and ANPD Res. 15/2024',
  jurisdiction: 'Brazil',
  rules,
  notes:
    'Small processing agents select the variant "smallProcessingAgent" (doubled breach periods). Business days need the Brazilian holiday calendar.',
};
