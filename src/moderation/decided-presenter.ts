import type { Lang } from '../platform/i18n';
import type { Reference } from '../reference/types';
import type { Corrections } from './corrections';
import { codedLabels, codesFormView, row } from './presenter';

// View models for correcting decided reports (issue 16).

/** The list of decided reports that may still be corrected. */
export function decidedListView(
  reference: Reference,
  list: Awaited<ReturnType<Corrections['correctable']>>,
  lang: Lang,
) {
  return {
    titleKey: 'moderation.decided.title',
    cutoff: list.cutoff,
    rows: list.items.map((item) => ({
      ...row(reference, item, lang),
      path: `/moderate/decided/${item.id}`,
      statusKey: `moderation.status.${item.decidedStatus}`,
      decisionOn: item.decisionOn,
    })),
  };
}

/** One decided report: its answers, and the correction form while it may still be corrected. */
export function decidedView(
  reference: Reference,
  found: NonNullable<Awaited<ReturnType<Corrections['decided']>>>,
  lang: Lang,
) {
  const { report } = found;
  return {
    titleKey: 'moderation.decided.title',
    report: {
      ...codedLabels(reference, report, lang),
      path: `/moderate/decided/${report.id}`,
      statusKey: `moderation.status.${report.decidedStatus}`,
      decisionOn: report.decisionOn,
    },
    open: found.open,
    cutoff: found.cutoff,
    form: codesFormView(reference, report, lang),
  };
}
