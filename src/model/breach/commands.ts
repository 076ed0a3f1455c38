/**
 * Commands of a breach stream. They come from the host's API (or record what the host did after a
 * reaction asked it to notify someone), so each has a codec: bad input is a typed error naming the
 * path. Deadlines are computed by the caller from the policy and travel in the command.
 *
 * @module
 */
import * as t from 'io-ts';
import {
  AuthorityNotificationField,
  AuthorityNotified,
  BreachAssessed,
  BreachAwarenessEstablished,
  BreachClosed,
  BreachConfirmed,
  BreachContained,
  BreachDetected,
  ControllerNotified,
  DataSubjectsNotified,
  DelayJustified,
  NotificationExemptionRecorded,
  PublicCommunicationMade,
} from './events.js';

/** Record that an incident was detected; opens the breach stream. */
export const ReportBreach = t.type(
  { type: t.literal('ReportBreach'), data: BreachDetected.props.data },
  'ReportBreach',
);
/** Record that an incident was detected. */
export type ReportBreach = t.TypeOf<typeof ReportBreach>;

/** Record awareness (EDPB Guidelines 9/2022), with the deadlines that run from it. */
export const EstablishAwareness = t.type(
  { type: t.literal('EstablishAwareness'), data: BreachAwarenessEstablished.props.data },
  'EstablishAwareness',
);
/** Record awareness. */
export type EstablishAwareness = t.TypeOf<typeof EstablishAwareness>;

/** Record confirmation, with the deadlines that run from it (IS-21). */
export const ConfirmBreach = t.type(
  { type: t.literal('ConfirmBreach'), data: BreachConfirmed.props.data },
  'ConfirmBreach',
);
/** Record confirmation. */
export type ConfirmBreach = t.TypeOf<typeof ConfirmBreach>;

/** Record an assessment; a later one supersedes it. */
export const AssessBreach = t.type(
  { type: t.literal('AssessBreach'), data: BreachAssessed.props.data },
  'AssessBreach',
);
/** Record an assessment. */
export type AssessBreach = t.TypeOf<typeof AssessBreach>;

/** Record that the breach was contained. */
export const RecordContainment = t.type(
  { type: t.literal('RecordContainment'), data: BreachContained.props.data },
  'RecordContainment',
);
/** Record that the breach was contained. */
export type RecordContainment = t.TypeOf<typeof RecordContainment>;

/**
 * Record a notification to the supervisory authority. `context.requiredContent` lists the content
 * fields the rule requires of an initial notification, with its citation; absent, the GDPR
 * Art. 33(3) list applies.
 */
export const RecordAuthorityNotification = t.type(
  {
    type: t.literal('RecordAuthorityNotification'),
    data: t.intersection([
      AuthorityNotified.props.data,
      t.partial({
        context: t.type({ requiredContent: t.array(AuthorityNotificationField), citation: t.string }),
      }),
    ]),
  },
  'RecordAuthorityNotification',
);
/** Record a notification to the supervisory authority. */
export type RecordAuthorityNotification = t.TypeOf<typeof RecordAuthorityNotification>;

/** Record a communication to the data subjects. */
export const RecordDataSubjectNotification = t.type(
  { type: t.literal('RecordDataSubjectNotification'), data: DataSubjectsNotified.props.data },
  'RecordDataSubjectNotification',
);
/** Record a communication to the data subjects. */
export type RecordDataSubjectNotification = t.TypeOf<typeof RecordDataSubjectNotification>;

/** Record a public communication made instead of individual notices. */
export const RecordPublicCommunication = t.type(
  { type: t.literal('RecordPublicCommunication'), data: PublicCommunicationMade.props.data },
  'RecordPublicCommunication',
);
/** Record a public communication. */
export type RecordPublicCommunication = t.TypeOf<typeof RecordPublicCommunication>;

/** Record a notification to the controller we process for. */
export const RecordControllerNotification = t.type(
  { type: t.literal('RecordControllerNotification'), data: ControllerNotified.props.data },
  'RecordControllerNotification',
);
/** Record a notification to the controller. */
export type RecordControllerNotification = t.TypeOf<typeof RecordControllerNotification>;

/** Record that an obligation does not apply to this breach, with the exemption and its reasoning. */
export const RecordNotificationExemption = t.type(
  { type: t.literal('RecordNotificationExemption'), data: NotificationExemptionRecorded.props.data },
  'RecordNotificationExemption',
);
/** Record an exemption. */
export type RecordNotificationExemption = t.TypeOf<typeof RecordNotificationExemption>;

/** Document the reasons for a delay of one obligation. */
export const JustifyDelay = t.type(
  { type: t.literal('JustifyDelay'), data: DelayJustified.props.data },
  'JustifyDelay',
);
/** Document the reasons for a delay. */
export type JustifyDelay = t.TypeOf<typeof JustifyDelay>;

/** Close the breach. */
export const CloseBreach = t.type({ type: t.literal('CloseBreach'), data: BreachClosed.props.data }, 'CloseBreach');
/** Close the breach. */
export type CloseBreach = t.TypeOf<typeof CloseBreach>;

/** Any command of a breach stream. */
export const BreachCommand = t.union(
  [
    ReportBreach,
    EstablishAwareness,
    ConfirmBreach,
    AssessBreach,
    RecordContainment,
    RecordAuthorityNotification,
    RecordDataSubjectNotification,
    RecordPublicCommunication,
    RecordControllerNotification,
    RecordNotificationExemption,
    JustifyDelay,
    CloseBreach,
  ],
  'BreachCommand',
);
/** Any command of a breach stream. */
export type BreachCommand = t.TypeOf<typeof BreachCommand>;
