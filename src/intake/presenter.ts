import { intlLocale, longDate, type Lang } from '../platform/i18n';
import { labelerFor } from '../reference/labeler';
import { codesOf } from '../reference/lookup';
import type { CodeKind, Reference } from '../reference/types';
import { FIRST_YEAR } from '../reports/coded-fields';
import { REPORT_FIELDS, type FieldErrors, type ReportField, type ReportFormValues } from './schema';
import type { ReportStatusView } from './service';

// What the intake pages show, in the page's language: option lists with the answers kept, errors
// next to their fields, and the status of a report in plain words.

interface Option {
  value: string;
  label: string;
  selected: boolean;
}

const EMPTY_VALUES: ReportFormValues = {
  state: '',
  field_office: '',
  county: '',
  month: '',
  year: '',
  action: [],
  activism: [],
  role: '',
  evidence: [],
  narrative: '',
  consent: false,
  website: '',
};

const GROUPS: {
  name: 'action' | 'activism' | 'role' | 'evidence';
  kind: CodeKind;
  type: 'checkbox' | 'radio';
}[] = [
  { name: 'action', kind: 'action_type', type: 'checkbox' },
  { name: 'activism', kind: 'activism_type', type: 'checkbox' },
  { name: 'role', kind: 'target_role', type: 'radio' },
  { name: 'evidence', kind: 'evidence_type', type: 'checkbox' },
];

function collator(lang: Lang): Intl.Collator {
  return new Intl.Collator(intlLocale(lang));
}

/** Everything the report form template needs. */
export function formView(options: {
  reference: Reference;
  lang: Lang;
  today: Date;
  token: string;
  values?: ReportFormValues;
  errors?: FieldErrors<ReportField>;
  notice?: string;
}) {
  const { reference, lang, today } = options;
  const values = options.values ?? EMPTY_VALUES;
  const errors = options.errors ?? {};
  const byName = collator(lang);
  const labeler = labelerFor(reference);
  const nameOfState = (usps: string): string => labeler.label('state', usps, lang);
  const states: Option[] = reference.states
    .map((state) => ({
      value: state.usps,
      label: nameOfState(state.usps),
      selected: state.usps === values.state,
    }))
    .sort((a, b) => byName.compare(a.label, b.label));
  const offices: Option[] = [...reference.offices]
    .sort((a, b) => byName.compare(a.city, b.city))
    .map((office) => ({
      value: office.code,
      label: `${office.city} (${office.states.join(', ')})`,
      selected: office.code === values.field_office,
    }));
  const splitStates = [...new Set(reference.splitCounties.map((county) => county.state))];
  const countyGroups = splitStates
    .map((usps) => ({
      label: nameOfState(usps),
      counties: reference.splitCounties
        .filter((county) => county.state === usps)
        .sort((a, b) => byName.compare(a.countyName, b.countyName))
        .map((county) => ({
          value: county.countyFips,
          label: county.countyName,
          selected: county.countyFips === values.county,
        })),
    }))
    .sort((a, b) => byName.compare(a.label, b.label));
  const monthName = new Intl.DateTimeFormat(intlLocale(lang), { month: 'long', timeZone: 'UTC' });
  const months: Option[] = Array.from({ length: 12 }, (_, index) => ({
    value: String(index + 1),
    label: monthName.format(new Date(Date.UTC(2000, index, 1))),
    selected: String(index + 1) === values.month,
  }));
  const years: Option[] = [];
  for (let year = today.getUTCFullYear(); year >= FIRST_YEAR; year -= 1) {
    years.push({ value: String(year), label: String(year), selected: String(year) === values.year });
  }
  const groups = GROUPS.map((group) => {
    const chosen = values[group.name];
    return {
      name: group.name,
      type: group.type,
      legendKey: `intake.groups.${group.name}.legend`,
      hintKey: `intake.groups.${group.name}.hint`,
      error: errors[group.name],
      items: codesOf(reference, group.kind).map((code) => ({
        id: `${group.name}-${code.code}`,
        value: code.code,
        label: labeler.label(group.kind, code.code, lang),
        hint: labeler.definition(group.kind, code.code, lang),
        checked: Array.isArray(chosen) ? chosen.includes(code.code) : chosen === code.code,
      })),
    };
  });
  const errorList = REPORT_FIELDS.flatMap((name) => {
    const key = errors[name];
    if (!key) return [];
    const group = groups.find((candidate) => candidate.name === name);
    return [{ key, anchor: group ? (group.items[0]?.id ?? name) : name }];
  });
  return {
    titleKey: 'intake.title',
    token: options.token,
    notice: options.notice,
    values,
    errors,
    errorList,
    states,
    offices,
    countyGroups,
    months,
    years,
    groups,
    // The honeypot is shown only when something filled it, so a person who did can see why.
    showHoneypot: values.website !== '',
  };
}

const STATUS_KEYS = {
  pending: 'status.state.received',
  needs_info: 'status.state.needs_info',
  approved: 'status.state.approved',
  rejected: 'status.state.not_counted',
  duplicate: 'status.state.duplicate',
} as const;

/** The status page: the report's state in plain words, the thread, and the follow-up form. */
export function statusView(
  status: ReportStatusView,
  lang: Lang,
  options: { token: string; notice?: string; errors?: FieldErrors<string>; message?: string },
) {
  const approvedKey =
    status.status === 'approved' && status.releaseLabel === null ? 'status.state.approved_next' : undefined;
  const statusKey = approvedKey ?? STATUS_KEYS[status.status];
  return {
    titleKey: 'status.title',
    statusKey,
    statusTextKey: `${statusKey}_text`,
    status: status.status,
    releaseLabel: status.releaseLabel,
    receivedOn: longDate(status.receivedOn, lang),
    reasonKey: status.status === 'rejected' ? `status.reason.${status.decisionReason ?? 'other'}` : undefined,
    messages: status.messages.map((message) => ({
      fromReporter: message.direction === 'from_reporter',
      sentOn: longDate(message.sentOn, lang),
      text: message.text,
    })),
    canReply: status.status === 'pending' || status.status === 'needs_info',
    receipt: status.receipt,
    token: options.token,
    notice: options.notice,
    errors: options.errors ?? {},
    message: options.message ?? '',
  };
}
