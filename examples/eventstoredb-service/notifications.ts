/**
 * The example's notifications table: one record per notification-type command Lethe emitted
 * (`NotifySupervisoryAuthority`, `NotifyDataSubjects`, `ObligationOverdue`, ...), written by the
 * command handlers, keyed by the command id so a redelivered command writes nothing twice. A real
 * service would page the DPO or open a ticket here; the record is what it would send.
 *
 * @module
 */
import type { OutboxCommand } from '../../src/index.js';

/** One notification to send (references and deadlines only: commands carry no personal data). */
export interface NotificationRecord {
  /** The outbox command id (uuid v5, the same on every replay). */
  readonly id: string;
  readonly type: string;
  /** The breach, request or subject it is about. */
  readonly entity?: { readonly kind: string; readonly id: string };
  /** The legal deadline (ISO 8601 instant in the policy's zone), when the command has one. */
  readonly dueAt?: string;
  /** The earlier instant the policy aims at ("without undue delay"), when it has one. */
  readonly hostTargetAt?: string;
  /** The rules the notification satisfies, each with its citation. */
  readonly rules: readonly { readonly ruleId: string; readonly dueAt: string; readonly citation: string }[];
  /** When the service wrote the record (ISO 8601, UTC, from the service's clock). */
  readonly recordedAt: string;
}

/** The command types that write a notification record. */
export const isNotification = (type: string): boolean => type.startsWith('Notify') || type === 'ObligationOverdue' || type === 'PublicCommunication';

/** The notifications table. */
export interface NotificationTable {
  /** Writes the record of `command` unless one with its id exists; returns the record. */
  readonly record: (command: OutboxCommand, now: string) => NotificationRecord;
  /** Every record, oldest first (copies). */
  readonly all: () => readonly NotificationRecord[];
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Returns the record a notification command asks for. */
export const notificationOf = (command: OutboxCommand, now: string): NotificationRecord => {
  const d = (typeof command.data === 'object' && command.data !== null && !Array.isArray(command.data) ? command.data : {}) as Record<string, unknown>;
  const obligations = Array.isArray(d['obligations']) ? (d['obligations'] as Record<string, unknown>[]) : [];
  const rules =
    obligations.length > 0
      ? obligations.map((o) => ({ ruleId: String(o['ruleId']), dueAt: String(o['dueAt']), citation: String(o['citation']) }))
      : str(d['ruleId']) !== undefined
        ? [{ ruleId: String(d['ruleId']), dueAt: String(d['dueAt']), citation: String(d['citation']) }]
        : [];
  const entity =
    typeof d['entity'] === 'object' && d['entity'] !== null
      ? { kind: String((d['entity'] as Record<string, unknown>)['kind']), id: String((d['entity'] as Record<string, unknown>)['id']) }
      : str(d['breachId']) !== undefined
        ? { kind: 'breach', id: String(d['breachId']) }
        : str(d['requestId']) !== undefined
          ? { kind: 'request', id: String(d['requestId']) }
          : str(d['subjectId']) !== undefined
            ? { kind: 'subject', id: String(d['subjectId']) }
            : undefined;
  const dueAt = str(d['dueAt']);
  const hostTargetAt = str(d['hostTargetAt']);
  return {
    id: command.commandId,
    type: command.type,
    ...(entity !== undefined ? { entity } : {}),
    ...(dueAt !== undefined ? { dueAt } : {}),
    ...(hostTargetAt !== undefined ? { hostTargetAt } : {}),
    rules,
    recordedAt: now,
  };
};

/** Returns an empty notifications table. */
export const createNotificationTable = (): NotificationTable => {
  const records = new Map<string, NotificationRecord>();
  return {
    record: (command, now) => {
      const existing = records.get(command.commandId);
      if (existing !== undefined) return existing;
      const record = notificationOf(command, now);
      records.set(record.id, record);
      return record;
    },
    all: () => [...records.values()].map((r) => ({ ...r })),
  };
};
