// The report as the rest of the app sees it. What a report may hold is deliberately small: coded answers,
// a month, a date of receipt, and sealed free text; nothing about the person or their device.

export const REPORT_STATUSES = ['pending', 'needs_info', 'approved', 'rejected', 'duplicate'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** Statuses still on the desk; decided reports are out of the queue and out of reach of its pages. */
export const QUEUE_STATUSES = ['pending', 'needs_info'] as const satisfies readonly ReportStatus[];
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

/** Decided statuses: final for the reporter (the thread takes no new message), correctable by the desk. */
export const FINAL_STATUSES = [
  'approved',
  'rejected',
  'duplicate',
] as const satisfies readonly ReportStatus[];

export const DECISION_REASONS = ['spam', 'not_retaliation', 'insufficient', 'duplicate', 'other'] as const;
export type DecisionReason = (typeof DECISION_REASONS)[number];

/** A calendar date as YYYY-MM-DD; never a time. */
export type IsoDate = string;

/** A report's coded answers: what releases count, and the only part of a report the desk may edit. */
export interface CodedFields {
  state: string;
  fieldOffice: string | null;
  /** The first day of the incident month, YYYY-MM-01. */
  incidentMonth: IsoDate;
  targetRole: string;
  actionTypes: string[];
  activismTypes: string[];
  evidenceTypes: string[];
}

export interface NewReport extends CodedFields {
  /** Optional: random by default; the demo seed passes fixed ids so that it is idempotent. */
  id?: string;
  status?: ReportStatus;
  consentToCount: boolean;
  receivedOn: IsoDate;
  narrativeSealed: Buffer | null;
  /** The desk_keys row the narrative is sealed to (issue 16: rotations re-seal by it). */
  narrativeKeyId?: number | null;
  decisionReason?: DecisionReason | null;
  decisionOn?: IsoDate | null;
}

export const MESSAGE_DIRECTIONS = ['from_reporter', 'to_reporter'] as const;
export type MessageDirection = (typeof MESSAGE_DIRECTIONS)[number];

/** One sealed message of a report's thread: to the desk key from the reporter, to the receipt key otherwise. */
export interface ReportMessage {
  direction: MessageDirection;
  bodySealed: Buffer;
  sentOn: IsoDate;
}
