import type { AuditRow } from '../audit/store';
import type { Lang } from '../platform/i18n';
import { labelerFor } from '../reference/labeler';
import { codesOf, officesForState } from '../reference/lookup';
import type { CodeKind, Reference } from '../reference/types';
import { DECISION_REASONS, QUEUE_STATUSES } from '../reports/types';
import type { OpenedReport } from './service';
import { formatCursor } from './queue-cursor';
import type { QueuePage } from './queue-store';
import type { QueueFilter, QueueItem, ReviewReport } from './store';

// View models for the desk's pages: labels in the page's language (the app's one labeler), options with
// their selected state. Offices keep the name the agency uses, untranslated, beside their code.

function codeLabel(reference: Reference, kind: CodeKind, code: string, lang: Lang): string {
  return labelerFor(reference).label(kind, code, lang);
}

function placeOptions(reference: Reference, lang: Lang, state?: string, office?: string | null) {
  const labeler = labelerFor(reference);
  const covered = reference.states
    .filter((s) => officesForState(reference, s.usps).length > 0)
    .map((s) => s.usps);
  return {
    states: labeler.sort('state', covered, lang).map((usps) => ({
      value: usps,
      label: labeler.label('state', usps, lang),
      selected: usps === state,
    })),
    offices: reference.offices.map((o) => ({
      value: o.code,
      label: `${labeler.recordedOfficeName(o.code)} (${o.code})`,
      selected: o.code === office,
    })),
  };
}

export function row(reference: Reference, item: QueueItem, lang: Lang) {
  return {
    id: item.id,
    shortId: item.id.slice(0, 8),
    path: `/moderate/reports/${item.id}`,
    value: `${item.id}:${item.version}`,
    statusKey: `moderation.status.${item.status}`,
    state: labelerFor(reference).label('state', item.state, lang),
    office: item.fieldOffice ? labelerFor(reference).recordedOfficeName(item.fieldOffice) : null,
    month: item.incidentMonth,
    receivedOn: item.receivedOn,
    role: codeLabel(reference, 'target_role', item.targetRole, lang),
    hasNarrative: item.hasNarrative,
  };
}

/**
 * The queue's links to other pages, each keeping the filter: plain links, so paging needs no JavaScript.
 * Paths in English; the view localizes them.
 */
function pageLinks(page: QueuePage, filter: QueueFilter, single: string | undefined, paged: boolean) {
  const link = (cursor?: { after: QueueItem } | { before: QueueItem }) => {
    const params = new URLSearchParams();
    if (single) params.set('status', single);
    if (filter.state) params.set('state', filter.state);
    if (filter.fieldOffice) params.set('office', filter.fieldOffice);
    if (cursor && 'after' in cursor) params.set('after', formatCursor(cursor.after));
    if (cursor && 'before' in cursor) params.set('before', formatCursor(cursor.before));
    const query = params.toString();
    return query ? `/moderate?${query}` : '/moderate';
  };
  const first = page.items[0];
  const last = page.items[page.items.length - 1];
  const links = {
    firstPath: paged ? link() : null,
    previousPath: first && page.hasBefore ? link({ before: first }) : null,
    nextPath: last && page.hasAfter ? link({ after: last }) : null,
  };
  return { ...links, hasPages: Object.values(links).some((path) => path !== null) };
}

/** The queue page: one page of rows oldest first, counts per status, links to the pages around it. */
export function queueView(
  reference: Reference,
  page: QueuePage,
  filter: QueueFilter,
  lang: Lang,
  paged = false,
) {
  const single = filter.statuses.length === 1 ? filter.statuses[0] : undefined;
  return {
    titleKey: 'moderation.queue.title',
    rows: page.items.map((item) => row(reference, item, lang)),
    total: page.total,
    shown: page.items.length,
    counts: QUEUE_STATUSES.map((status) => ({
      labelKey: `moderation.status.${status}`,
      count: page.counts[status],
    })),
    ...pageLinks(page, filter, single, paged),
    statuses: QUEUE_STATUSES.map((status) => ({
      value: status,
      labelKey: `moderation.status.${status}`,
      selected: status === single,
    })),
    ...placeOptions(reference, lang, filter.state, filter.fieldOffice ?? null),
  };
}

/** The coded-fields correction form, filled in with a report's current answers. */
export function codesFormView(reference: Reference, report: ReviewReport, lang: Lang) {
  const checkboxes = (kind: CodeKind, selected: string[]) =>
    codesOf(reference, kind).map((code) => ({
      value: code.code,
      label: codeLabel(reference, kind, code.code, lang),
      checked: selected.includes(code.code),
    }));
  return {
    ...placeOptions(reference, lang, report.state, report.fieldOffice),
    month: report.incidentMonth,
    roles: codesOf(reference, 'target_role').map((code) => ({
      value: code.code,
      label: codeLabel(reference, 'target_role', code.code, lang),
      selected: code.code === report.targetRole,
    })),
    actions: checkboxes('action_type', report.actionTypes),
    activism: checkboxes('activism_type', report.activismTypes),
    evidence: checkboxes('evidence_type', report.evidenceTypes),
  };
}

/** The labels of a report's coded answers, in the page's language. */
export function codedLabels(reference: Reference, report: ReviewReport, lang: Lang) {
  return {
    ...row(reference, report, lang),
    version: report.version,
    actions: report.actionTypes.map((code) => codeLabel(reference, 'action_type', code, lang)),
    activism: report.activismTypes.map((code) => codeLabel(reference, 'activism_type', code, lang)),
    evidence: report.evidenceTypes.map((code) => codeLabel(reference, 'evidence_type', code, lang)),
  };
}

/** One report: its coded fields as labels and as a correction form, the opened narrative and thread. */
export function reportView(reference: Reference, report: OpenedReport, lang: Lang) {
  return {
    titleKey: 'moderation.report.title',
    report: {
      ...row(reference, report, lang),
      version: report.version,
      stateCode: report.state,
      actions: report.actionTypes.map((code) => codeLabel(reference, 'action_type', code, lang)),
      activism: report.activismTypes.map((code) => codeLabel(reference, 'activism_type', code, lang)),
      evidence: report.evidenceTypes.map((code) => codeLabel(reference, 'evidence_type', code, lang)),
      narrative: report.narrative && 'text' in report.narrative ? report.narrative.text : null,
      narrativeProblemKey:
        report.narrative && 'problem' in report.narrative
          ? `moderation.report.narrative_${report.narrative.problem}`
          : null,
      noNarrative: report.narrative === null,
      messages: report.messages.map((message) => ({
        ...message,
        directionKey: `moderation.report.direction.${message.direction}`,
        sealedToReporter: message.direction === 'to_reporter',
      })),
      hasReceipt: report.hasReceipt,
    },
    candidates: candidatesView(reference, report, lang),
    form: {
      ...codesFormView(reference, report, lang),
      reasons: DECISION_REASONS.map((reason) => ({
        value: reason,
        labelKey: `moderation.reasons.${reason}`,
      })),
    },
  };
}

/** Narrative text or the key of what stands in its place, for the report and its candidates alike. */
function narrativeView(narrative: OpenedReport['narrative']) {
  return {
    narrative: narrative && 'text' in narrative ? narrative.text : null,
    narrativeProblemKey:
      narrative && 'problem' in narrative ? `moderation.report.narrative_${narrative.problem}` : null,
    noNarrative: narrative === null,
  };
}

/**
 * Duplicate candidates beside the report: every code the two share is marked, so a moderator sees at a
 * glance what matches before comparing the narratives side by side.
 */
function candidatesView(reference: Reference, report: OpenedReport, lang: Lang) {
  const marked = (kind: CodeKind, codes: string[], mine: string[]) =>
    codes.map((code) => ({ label: codeLabel(reference, kind, code, lang), match: mine.includes(code) }));
  const onDesk: readonly string[] = QUEUE_STATUSES;
  return report.candidates.map((candidate) => ({
    id: candidate.id,
    shortId: candidate.id.slice(0, 8),
    path: onDesk.includes(candidate.status) ? `/moderate/reports/${candidate.id}` : null,
    statusKey: `moderation.status.${candidate.status}`,
    receivedOn: candidate.receivedOn,
    month: { label: candidate.incidentMonth, match: candidate.incidentMonth === report.incidentMonth },
    role: {
      label: codeLabel(reference, 'target_role', candidate.targetRole, lang),
      match: candidate.targetRole === report.targetRole,
    },
    actions: marked('action_type', candidate.actionTypes, report.actionTypes),
    activism: marked('activism_type', candidate.activismTypes, report.activismTypes),
    evidence: marked('evidence_type', candidate.evidenceTypes, report.evidenceTypes),
    ...narrativeView(candidate.narrative),
  }));
}

/** The audit log: who, what, which report or account, when (UTC, to the minute); codes only. */
export function auditView(rows: AuditRow[], page: number, hasMore: boolean, _lang: Lang) {
  return {
    titleKey: 'moderation.audit.title',
    rows: rows.map((r) => ({
      when: `${r.occurredAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      who: r.username,
      actionKey: `moderation.audit.actions.${r.action}`,
      reportId: r.reportId,
      subject: r.subjectUsername,
      detail: Object.entries(r.detail)
        .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(', ') : String(value)}`)
        .join('; '),
    })),
    page,
    previous: page > 1 ? page - 1 : null,
    next: hasMore ? page + 1 : null,
  };
}
